//! Delivery of claim links to learners: by e-mail through SMTP when `MICROCRED_SMTP` is set (an
//! `smtp://` or `smtps://` URL, sent with lettre over rustls), otherwise written as `.eml` files to an
//! outbox folder (`MICROCRED_OUTBOX`, default `<database>.outbox/` beside a SQLite file).

use std::path::PathBuf;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use microcred_store::JobRow;

use crate::jobs::template::Template;

/// One e-mail to a learner.
pub struct Letter {
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    /// File name in the outbox (no path characters).
    pub file_stem: String,
}

impl Letter {
    pub fn claim(row: &JobRow, template: &Template, token: &str) -> Letter {
        let title = template
            .description
            .title
            .best(
                template
                    .description
                    .languages
                    .first()
                    .map(String::as_str)
                    .unwrap_or("en"),
            )
            .unwrap_or("your micro-credential")
            .to_string();
        let url = format!("{}/claim/{token}", template.base_url);
        Letter {
            to_email: row.email.clone(),
            to_name: row.name.clone(),
            subject: format!("Your credential: {title}"),
            body: format!(
                "Dear {name},\r\n\r\n{issuer} has issued you the credential \"{title}\".\r\n\r\nOpen this link to see it, download it, or take it into your wallet:\r\n{url}\r\n\r\nThe link is personal: do not share it.\r\n",
                name = row.name,
                issuer = template.issuer.name,
            ),
            file_stem: format!("{}-row{}", token_tail(token), row.row_number),
        }
    }
}

/// A short non-secret tag for file names (the hash of the token, not the token).
fn token_tail(token: &str) -> String {
    crate::auth::secret_hash(token)[..16].to_string()
}

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Outbox {
        dir: PathBuf,
        from: Mailbox,
    },
    Off,
}

impl Mailer {
    /// From the environment; `outbox` is the default folder when no SMTP server is configured.
    pub fn from_env(outbox: Option<PathBuf>) -> Mailer {
        let from: Mailbox = std::env::var("MICROCRED_MAIL_FROM")
            .ok()
            .and_then(|f| f.parse().ok())
            .unwrap_or_else(|| "microcred <noreply@localhost>".parse().expect("valid mailbox"));
        if let Ok(url) = std::env::var("MICROCRED_SMTP") {
            match AsyncSmtpTransport::<Tokio1Executor>::from_url(&url) {
                Ok(builder) => {
                    return Mailer::Smtp {
                        transport: builder.build(),
                        from,
                    }
                }
                Err(error) => {
                    tracing::error!(%error, "MICROCRED_SMTP is not a usable SMTP URL; writing to the outbox")
                }
            }
        }
        match std::env::var_os("MICROCRED_OUTBOX").map(PathBuf::from).or(outbox) {
            Some(dir) if dir.as_os_str() == "off" => Mailer::Off,
            Some(dir) => Mailer::Outbox { dir, from },
            None => Mailer::Off,
        }
    }

    fn message(from: &Mailbox, letter: &Letter) -> Option<Message> {
        let to = Mailbox::new(Some(letter.to_name.clone()), letter.to_email.parse().ok()?);
        Message::builder()
            .from(from.clone())
            .to(to)
            .subject(letter.subject.clone())
            .body(letter.body.clone())
            .ok()
    }

    /// Sends or writes every letter; failures are logged per letter (the credential exists either way).
    pub async fn send(&self, letters: Vec<Letter>) {
        match self {
            Mailer::Off => {}
            Mailer::Smtp { transport, from } => {
                for letter in &letters {
                    let Some(message) = Self::message(from, letter) else {
                        continue;
                    };
                    if let Err(error) = transport.send(message).await {
                        tracing::warn!(%error, to = %letter.to_email, "claim e-mail not sent");
                    }
                }
            }
            Mailer::Outbox { dir, from } => {
                let dir = dir.clone();
                let from = from.clone();
                let written = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
                    std::fs::create_dir_all(&dir)?;
                    for letter in &letters {
                        if let Some(message) = Self::message(&from, letter) {
                            std::fs::write(
                                dir.join(format!("{}.eml", letter.file_stem)),
                                message.formatted(),
                            )?;
                        }
                    }
                    Ok(())
                })
                .await;
                if let Ok(Err(error)) | Err(error) = written.map_err(std::io::Error::other) {
                    tracing::warn!(%error, "claim e-mails not written to the outbox");
                }
            }
        }
    }
}
