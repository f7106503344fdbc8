//! The Zed extension of deep-review-lsp: starts the `deep-review-lsp` found on
//! the worktree's PATH over stdio, and hands it the user's `lsp.deep-review-lsp`
//! settings as the `deepReview` section.

use zed_extension_api::{self as zed, serde_json, settings::LspSettings, LanguageServerId, Result};

/// The server's name in extension.toml and in the user's `lsp` settings.
const SERVER: &str = "deep-review-lsp";

struct DeepReviewExtension;

impl DeepReviewExtension {
    /// The user's `lsp.deep-review-lsp` settings for this worktree, if any.
    fn settings(worktree: &zed::Worktree) -> Option<LspSettings> {
        LspSettings::for_worktree(SERVER, worktree).ok()
    }
}

impl zed::Extension for DeepReviewExtension {
    fn new() -> Self {
        DeepReviewExtension
    }

    fn language_server_command(&mut self, _id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        // A `binary.path` in the user's settings wins over the PATH.
        let configured = Self::settings(worktree).and_then(|s| s.binary).and_then(|b| b.path);
        let command = match configured.or_else(|| worktree.which(SERVER)) {
            Some(path) => path,
            None => {
                return Err(format!(
                    "{SERVER} is not on the PATH: install it (`npm install -g .` in a deep-review-lsp checkout) \
                     or set lsp.{SERVER}.binary.path in Zed's settings"
                ))
            }
        };
        Ok(zed::Command { command, args: vec!["--stdio".to_string()], env: worktree.shell_env() })
    }

    fn language_server_initialization_options(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::settings(worktree).and_then(|s| s.settings).map(in_section))
    }

    fn language_server_workspace_configuration(
        &mut self,
        _id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<serde_json::Value>> {
        Ok(Self::settings(worktree).and_then(|s| s.settings).map(in_section))
    }
}

/// Settings given as `{ "rounds": "all" }` or as `{ "deepReview": { ... } }`, both as the latter.
fn in_section(settings: serde_json::Value) -> serde_json::Value {
    if settings.get("deepReview").is_some() {
        settings
    } else {
        serde_json::json!({ "deepReview": settings })
    }
}

zed::register_extension!(DeepReviewExtension);
