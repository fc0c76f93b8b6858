//! `microcred init`: a commented TOML template of a description. With a profile, the template's
//! examples fit that profile and a header lists the profile's rules, each with its fix and source.

use std::process::ExitCode;

use anyhow::Context;
use microcred_rules::Profile;

#[derive(clap::Args)]
pub struct Args {
    /// Rule profile whose constraints the template explains: a built-in name (`microcred profiles` lists
    /// them) or a profile file (.toml).
    #[arg(long, short, default_value = "eu")]
    profile: String,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let profile = Profile::builtin(&args.profile)
        .with_context(|| format!("cannot use the profile {:?}", args.profile))?;
    print!("{}", constraints(&profile));
    print!("{}", microcred_authoring::template(Some(&profile.name)));
    Ok(ExitCode::SUCCESS)
}

/// The profile's rules as TOML comments: what each asks and how to satisfy it.
fn constraints(profile: &Profile) -> String {
    let mut text = format!("# Profile \"{}\": {}\n", profile.name, one_line(&profile.title));
    if !profile.description.is_empty() {
        text.push_str(&format!("# {}\n", one_line(&profile.description)));
    }
    if !profile.rules.is_empty() {
        text.push_str("# Its rules (error: must hold to comply; warning and advice: should):\n");
        for rule in &profile.rules {
            let severity = serde_json::to_value(rule.severity).ok();
            let severity = severity.as_ref().and_then(|s| s.as_str()).unwrap_or("rule");
            text.push_str(&format!(
                "# - {} ({severity}): {}\n",
                rule.id,
                one_line(&rule.fix)
            ));
        }
    }
    text.push_str("#\n");
    text
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
