//! Site settings and theming: presets, colours and fonts, turned into CSS variables.
//!
//! Settings live in D1 as `tenant_settings(key, value)` rows. Every value that
//! reaches CSS is validated here (a colour is `#rgb`/`#rrggbb`, a font comes
//! from an allow-list), so a stored value can never inject CSS or HTML.

mod contrast;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

pub use contrast::{contrast_ratio, format_ratio, min_contrast, nearest_passing, Rgb, AA_TEXT};

/// A named look. Each preset sets the whole palette and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ThemePreset {
    /// Light, warm paper with a serif body.
    #[default]
    Paper,
    /// Dark background, light text.
    Midnight,
    /// Green, airy, sans-serif.
    Meadow,
}

impl ThemePreset {
    pub const ALL: [ThemePreset; 3] = [
        ThemePreset::Paper,
        ThemePreset::Midnight,
        ThemePreset::Meadow,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ThemePreset::Paper => "paper",
            ThemePreset::Midnight => "midnight",
            ThemePreset::Meadow => "meadow",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The name an owner sees.
    pub fn label(self) -> &'static str {
        match self {
            ThemePreset::Paper => "Paper",
            ThemePreset::Midnight => "Midnight",
            ThemePreset::Meadow => "Meadow",
        }
    }

    /// The page's background, which links, tags and the accent's other
    /// text sit on. (The site's CSS never sets accent text on the surface
    /// colour, so this is the one background an accent must suit.)
    pub fn background(self) -> Rgb {
        rgb(self.palette().bg)
    }

    /// Whether `accent` is readable as link and tag colour on this theme
    /// (WCAG AA, 4.5:1 on its background); if not, how far off it is and
    /// the nearest colour of its hue that passes.
    pub fn check_accent(self, accent: &Color) -> Result<(), FaintAccent> {
        let backgrounds = [self.background()];
        let ratio = min_contrast(accent.rgb(), &backgrounds);
        if ratio >= AA_TEXT {
            return Ok(());
        }
        Err(FaintAccent {
            ratio,
            suggestion: nearest_passing(accent.rgb(), &backgrounds, AA_TEXT)
                .map(|c| Color(c.to_hex())),
        })
    }

    /// (background, surface, text, muted text, border, accent, body font)
    fn palette(self) -> Palette {
        match self {
            ThemePreset::Paper => Palette {
                bg: "#fbf7f0",
                surface: "#f3ece0",
                fg: "#2b2420",
                muted: "#6f6259",
                border: "#e0d5c4",
                accent: "#b4532a",
                font: FontFamily::Serif,
            },
            ThemePreset::Midnight => Palette {
                bg: "#11151c",
                surface: "#1a2030",
                fg: "#e6e9ef",
                muted: "#9aa4b5",
                border: "#2c3447",
                accent: "#7aa2f7",
                font: FontFamily::Sans,
            },
            ThemePreset::Meadow => Palette {
                bg: "#f6fbf4",
                surface: "#e8f3e4",
                fg: "#1f2d1f",
                muted: "#56705a",
                border: "#cfe3c8",
                accent: "#2f7d4a",
                font: FontFamily::Humanist,
            },
        }
    }
}

/// A preset's own colour, written as `#rrggbb` in [`ThemePreset::palette`].
fn rgb(hex: &str) -> Rgb {
    // Every palette colour parses (a test checks each preset).
    Rgb::from_hex(hex).unwrap_or(Rgb(0, 0, 0))
}

/// An accent colour too faint on its theme's backgrounds.
#[derive(Debug, Clone, PartialEq)]
pub struct FaintAccent {
    /// Its lowest contrast on the theme's backgrounds.
    pub ratio: f64,
    /// The nearest colour of the same hue with at least [`AA_TEXT`].
    pub suggestion: Option<Color>,
}

struct Palette {
    bg: &'static str,
    surface: &'static str,
    fg: &'static str,
    muted: &'static str,
    border: &'static str,
    accent: &'static str,
    font: FontFamily,
}

/// Fonts an owner may choose: system stacks only, no web-font downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FontFamily {
    System,
    Serif,
    Sans,
    Humanist,
    Mono,
}

impl FontFamily {
    pub const ALL: [FontFamily; 5] = [
        FontFamily::System,
        FontFamily::Serif,
        FontFamily::Sans,
        FontFamily::Humanist,
        FontFamily::Mono,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FontFamily::System => "system",
            FontFamily::Serif => "serif",
            FontFamily::Sans => "sans",
            FontFamily::Humanist => "humanist",
            FontFamily::Mono => "mono",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The CSS font stack.
    pub fn stack(self) -> &'static str {
        match self {
            FontFamily::System => "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            FontFamily::Serif => {
                "Charter, 'Bitstream Charter', 'Sitka Text', Cambria, Georgia, serif"
            }
            FontFamily::Sans => "Inter, 'Helvetica Neue', Arial, sans-serif",
            FontFamily::Humanist => {
                "Seravek, 'Gill Sans Nova', Ubuntu, Calibri, 'DejaVu Sans', sans-serif"
            }
            FontFamily::Mono => {
                "ui-monospace, 'Cascadia Code', 'Source Code Pro', Menlo, monospace"
            }
        }
    }
}

/// A validated `#rgb` or `#rrggbb` colour, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Color(String);

impl Color {
    pub fn parse(s: &str) -> Option<Self> {
        let hex = s.trim().strip_prefix('#')?;
        let ok = matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit());
        ok.then(|| Color(format!("#{}", hex.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn rgb(&self) -> Rgb {
        // A `Color` is a validated hex colour, so this always parses.
        Rgb::from_hex(&self.0).unwrap_or(Rgb(0, 0, 0))
    }
}

/// A tenant's site settings, with defaults for anything unset or invalid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteSettings {
    pub title: String,
    pub description: String,
    pub theme: ThemePreset,
    pub primary_color: Option<Color>,
    pub font_family: Option<FontFamily>,
    /// The owner asks search engines not to index the blog
    /// (`crate::discovery::DISCOURAGE_SETTING`).
    #[serde(default)]
    pub discourage_search: bool,
}

impl SiteSettings {
    /// Builds settings from `tenant_settings` rows; `display_name` is the
    /// fallback title. Unknown keys are ignored, invalid values fall back.
    pub fn from_rows(display_name: &str, rows: &HashMap<String, String>) -> Self {
        let get = |k: &str| rows.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
        SiteSettings {
            title: get("site_title").unwrap_or(display_name).to_string(),
            description: get("site_description").unwrap_or_default().to_string(),
            theme: get("theme")
                .and_then(ThemePreset::parse)
                .unwrap_or_default(),
            primary_color: get("primary_color").and_then(Color::parse),
            font_family: get("font_family").and_then(FontFamily::parse),
            discourage_search: crate::discovery::discourages(get(
                crate::discovery::DISCOURAGE_SETTING,
            )),
        }
    }

    /// The `:root { ... }` block that themes every page of the site.
    pub fn css_variables(&self) -> String {
        let p = self.theme.palette();
        let accent = self.primary_color.as_ref().map_or(p.accent, Color::as_str);
        let font = self.font_family.unwrap_or(p.font).stack();
        format!(
            ":root{{--bg:{};--surface:{};--fg:{};--muted:{};--border:{};--accent:{};--font-body:{};}}",
            p.bg, p.surface, p.fg, p.muted, p.border, accent, font
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn colours_are_validated() {
        assert_eq!(Color::parse("#B4532A").unwrap().as_str(), "#b4532a");
        assert_eq!(Color::parse("#abc").unwrap().as_str(), "#abc");
        for bad in [
            "b4532a",
            "#b4532",
            "#ggg",
            "red",
            "#fff;}body{display:none",
            "",
        ] {
            assert!(Color::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn settings_fall_back_to_defaults_for_bad_values() {
        let s = SiteSettings::from_rows(
            "Autumn",
            &rows(&[
                ("theme", "neon"),
                ("primary_color", "red;}"),
                ("font_family", "Comic Sans"),
            ]),
        );
        assert_eq!(s.title, "Autumn");
        assert_eq!(s.theme, ThemePreset::Paper);
        assert_eq!(s.primary_color, None);
        assert_eq!(s.font_family, None);
    }

    #[test]
    fn every_preset_passes_aa_for_text_and_links() {
        for theme in ThemePreset::ALL {
            let p = theme.palette();
            for hex in [p.bg, p.surface, p.fg, p.muted, p.border, p.accent] {
                assert!(Rgb::from_hex(hex).is_some(), "{theme:?} {hex}");
            }
            // Text is read on the page and on the surface (header, table
            // heads, code); the accent on the page only.
            let both = [rgb(p.bg), rgb(p.surface)];
            for (role, hex, on) in [
                ("text", p.fg, &both[..]),
                ("muted text", p.muted, &both[..]),
                ("accent", p.accent, &both[..1]),
            ] {
                let ratio = min_contrast(rgb(hex), on);
                assert!(
                    ratio >= AA_TEXT,
                    "{theme:?} {role} {hex}: {}",
                    format_ratio(ratio)
                );
            }
            let accent = Color::parse(p.accent).unwrap();
            assert_eq!(theme.check_accent(&accent), Ok(()), "{theme:?}");
        }
    }

    #[test]
    fn faint_accents_are_refused_with_the_nearest_that_passes() {
        let white = Color::parse("#fff").unwrap();
        let faint = ThemePreset::Paper.check_accent(&white).unwrap_err();
        assert_eq!(format_ratio(faint.ratio), "1.06:1");
        let suggestion = faint.suggestion.unwrap();
        assert_eq!(suggestion.as_str(), "#727272");
        assert_eq!(ThemePreset::Paper.check_accent(&suggestion), Ok(()));

        let navy = Color::parse("#000080").unwrap();
        let faint = ThemePreset::Midnight.check_accent(&navy).unwrap_err();
        assert_eq!(format_ratio(faint.ratio), "1.14:1");
        let suggestion = faint.suggestion.unwrap();
        assert_eq!(suggestion.as_str(), "#6b6bff");
        assert_eq!(ThemePreset::Midnight.check_accent(&suggestion), Ok(()));
        // Navy is fine on the light themes.
        assert_eq!(ThemePreset::Paper.check_accent(&navy), Ok(()));
    }

    #[test]
    fn presets_look_distinct_and_overrides_apply() {
        let css: Vec<String> = ThemePreset::ALL
            .iter()
            .map(|t| SiteSettings::from_rows("x", &rows(&[("theme", t.as_str())])).css_variables())
            .collect();
        assert_ne!(css[0], css[1]);
        assert_ne!(css[1], css[2]);
        assert_ne!(css[0], css[2]);

        let s = SiteSettings::from_rows(
            "x",
            &rows(&[
                ("theme", "midnight"),
                ("primary_color", "#FF0066"),
                ("font_family", "mono"),
            ]),
        );
        let css = s.css_variables();
        assert!(css.contains("--accent:#ff0066"), "{css}");
        assert!(css.contains("--bg:#11151c"), "{css}");
        assert!(css.contains("monospace"), "{css}");
    }
}
