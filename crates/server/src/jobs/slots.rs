//! Status-list slot allocation for one provider: random indexes (so an index does not reveal the
//! order of issue), drawn against an in-memory picture of the taken ones. The database's
//! UNIQUE (status_list_id, status_index) is the real guard when several processes issue at once;
//! a collision there is retried with a fresh index.

use microcred_store::{StatusListRecord, Store};

use super::template::Slot;
use crate::problem::Problem;

/// 2^17 = 131,072 entries, the Bitstring Status List minimum (16 KiB of bits): every verification
/// decodes the list, and a 2^20 list took five times as long to inflate (84 µs against 16 µs) for no
/// gain in privacy. A new list is started at half full, so random draws rarely collide and each list's
/// herd stays at 65,536 credentials or more.
pub const LIST_SIZE: i64 = 1 << 17;

pub struct Slots {
    provider_id: String,
    list: StatusListRecord,
    taken: Vec<u64>,
    count: i64,
}

impl Slots {
    pub async fn load(store: &Store, provider_id: &str) -> Result<Slots, Problem> {
        let list = match store.current_status_list(provider_id).await? {
            Some(list) => list,
            None => store.create_status_list(provider_id, LIST_SIZE).await?,
        };
        let mut slots = Slots {
            provider_id: provider_id.to_string(),
            taken: vec![0; (list.size as usize).div_ceil(64)],
            list,
            count: 0,
        };
        for index in store.used_status_indexes(&slots.list.id).await? {
            slots.set(index);
        }
        Ok(slots)
    }

    fn is_taken(&self, index: i64) -> bool {
        let i = index as usize;
        self.taken.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn set(&mut self, index: i64) {
        if !self.is_taken(index) {
            let i = index as usize;
            if let Some(word) = self.taken.get_mut(i / 64) {
                *word |= 1 << (i % 64);
                self.count += 1;
            }
        }
    }

    pub fn mark_taken(&mut self, slot: &Slot) {
        if slot.list_id == self.list.id {
            self.set(slot.index);
        }
    }

    /// A free slot, starting a new list when this one is half full.
    pub async fn next(&mut self, store: &Store) -> Result<Slot, Problem> {
        if self.count >= self.list.size / 2 {
            *self = Slots {
                provider_id: self.provider_id.clone(),
                taken: vec![0; (LIST_SIZE as usize).div_ceil(64)],
                list: store.create_status_list(&self.provider_id, LIST_SIZE).await?,
                count: 0,
            };
        }
        let index =
            microcred_vc::status::allocate_random_index(self.list.size as usize, |i| self.is_taken(i as i64))
                .ok_or_else(Problem::internal)? as i64;
        self.set(index);
        Ok(Slot {
            list_id: self.list.id.clone(),
            index,
        })
    }
}
