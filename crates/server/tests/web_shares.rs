//! The share links of the learner wallet in the store, on SQLite and on PostgreSQL: made, found by
//! token hash, listed for their owner only, revoked once.

mod common;

use common::TestDb;
use microcred_store::{Actor, Share, Store, StoreError};

async fn scenario(db: TestDb) {
    let store = Store::open(&db.url()).await.expect("the database opens");
    let share = Share {
        id: "share_1".into(),
        owner_email: "Lea@Example.org".into(),
        label: "For my employer".into(),
        credential_ids: vec!["urn:uuid:a".into(), "urn:uuid:b".into()],
        expires_at: "2099-01-01T00:00:00.000Z".into(),
        revoked_at: None,
        created_at: String::new(),
    };
    store
        .create_share(&share, "hash-1", &Actor::system())
        .await
        .unwrap();
    let found = store
        .share_by_token("hash-1")
        .await
        .unwrap()
        .expect("found by its hash");
    assert_eq!(found.credential_ids, share.credential_ids);
    assert_eq!(
        found.owner_email, "lea@example.org",
        "owners are kept in lower case"
    );
    assert!(found.is_open("2026-01-01T00:00:00.000Z"));
    assert!(
        !found.is_open("2099-01-01T00:00:00.001Z"),
        "closed after its expiry"
    );
    assert!(store.share_by_token("hash-2").await.unwrap().is_none());
    assert_eq!(store.shares_of("lea@example.org").await.unwrap().len(), 1);
    assert!(store.shares_of("other@example.org").await.unwrap().is_empty());
    assert!(
        matches!(
            store
                .revoke_share("share_1", "other@example.org", &Actor::system())
                .await,
            Err(StoreError::NotFound(_))
        ),
        "only the owner revokes"
    );
    store
        .revoke_share("share_1", "lea@example.org", &Actor::system())
        .await
        .unwrap();
    let revoked = store.share_by_token("hash-1").await.unwrap().unwrap();
    assert!(revoked.revoked_at.is_some() && !revoked.is_open("2026-01-01T00:00:00.000Z"));
    assert!(matches!(
        store
            .revoke_share("share_1", "lea@example.org", &Actor::system())
            .await,
        Err(StoreError::NotFound(_))
    ));
    store.close().await;
    db.remove().await;
}

#[tokio::test]
async fn shares_on_sqlite() {
    scenario(TestDb::sqlite()).await;
}

#[tokio::test]
async fn shares_on_postgres() {
    if let Some(db) = TestDb::postgres().await {
        scenario(db).await;
    }
}
