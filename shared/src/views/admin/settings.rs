//! `/admin/settings`: the site's title, description and look.

use maud::{html, Markup};

use super::fields::error_banner;
use super::layout::admin_layout;
use super::{csrf_input, AdminChrome, Field, InputAttrs};
use crate::admin::errors::WriteError;
use crate::admin::forms::SettingsForm;
use crate::theme::{FontFamily, ThemePreset};

/// The fields this form shows errors next to.
const FIELDS: [&str; 7] = [
    "site_title",
    "site_description",
    "theme",
    "primary_color",
    "font_family",
    "time_zone",
    crate::admin::listing::SETTING,
];

fn theme_label(theme: ThemePreset) -> &'static str {
    match theme {
        ThemePreset::Paper => "Paper (light, warm, serif)",
        ThemePreset::Midnight => "Midnight (dark)",
        ThemePreset::Meadow => "Meadow (green, airy)",
    }
}

fn font_label(font: FontFamily) -> &'static str {
    match font {
        FontFamily::System => "System",
        FontFamily::Serif => "Serif",
        FontFamily::Sans => "Sans-serif",
        FontFamily::Humanist => "Humanist sans-serif",
        FontFamily::Mono => "Monospace",
    }
}

/// A `<select>` field; `options` are (value, label) pairs.
fn select_field(field: &Field<'_>, selected: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        div class="field" {
            (field.label())
            (field.hint_text())
            select id=(field.name) name=(field.name)
                aria-invalid=[field.invalid()]
                aria-describedby=[field.described_by()] {
                @for (value, label) in options {
                    option value=(value) selected[*value == selected] { (label) }
                }
            }
            (field.error_text())
        }
    }
}

/// The writer's time zone: the editor's times are in it. Unset, it shows
/// UTC and the admin script preselects the browser's zone (saved only
/// when the writer saves the settings).
fn time_zone_field(form: &SettingsForm, error: Option<&WriteError>) -> Markup {
    let field = Field::new("time_zone", "Time zone")
        .hint("the editor shows and schedules times in this zone")
        .write_error(error);
    let chosen = match form.time_zone.trim() {
        "" => "UTC",
        z => z,
    };
    let names = crate::admin::time_zone::names();
    html! {
        div class="field" {
            (field.label())
            (field.hint_text())
            select id="time_zone" name="time_zone"
                data-from-browser[form.time_zone.trim().is_empty()]
                aria-invalid=[field.invalid()]
                aria-describedby=[field.described_by()] {
                @if !names.iter().any(|n| n == chosen) {
                    option value=(chosen) selected { (chosen) }
                }
                @for name in &names {
                    option value=(name) selected[name == chosen] { (name) }
                }
            }
            (field.error_text())
        }
    }
}

/// Whether Grove's home page may list the blog (`admin::listing`).
fn listed_field(form: &SettingsForm, error: Option<&WriteError>) -> Markup {
    let field = Field::new(
        crate::admin::listing::SETTING,
        "List this blog on Grove's home page",
    )
    .hint("once it has published something; it stays public at its address either way")
    .write_error(error);
    checkbox_field(&field, form.listed)
}

/// A checkbox with its label, hint and error.
fn checkbox_field(field: &Field, checked: bool) -> Markup {
    html! {
        div class="field" {
            div class="check" {
                input type="checkbox" id=(field.name) name=(field.name) value="on"
                    checked[checked]
                    aria-invalid=[field.invalid()]
                    aria-describedby=[field.described_by()];
                (field.label())
            }
            (field.hint_text())
            (field.error_text())
        }
    }
}

/// Whether search engines are asked to stay away (`discovery`).
fn discourage_field(form: &SettingsForm, error: Option<&WriteError>) -> Markup {
    let field = Field::new(
        crate::discovery::DISCOURAGE_SETTING,
        "Discourage search engines from indexing this blog",
    )
    .hint("robots.txt then disallows everything and every page says noindex; readers can still visit, and well-behaved search engines stay away")
    .write_error(error);
    checkbox_field(&field, form.discourage_search)
}

/// The settings form, showing `form` (what is stored, or what was typed).
pub fn settings_form(
    chrome: &AdminChrome,
    form: &SettingsForm,
    error: Option<&WriteError>,
    notice: Option<&str>,
) -> Markup {
    let themes: Vec<(&str, &str)> = ThemePreset::ALL
        .iter()
        .map(|t| (t.as_str(), theme_label(*t)))
        .collect();
    let fonts: Vec<(&str, &str)> = std::iter::once(("", "Theme default"))
        .chain(FontFamily::ALL.iter().map(|f| (f.as_str(), font_label(*f))))
        .collect();

    let body = html! {
        (error_banner(error, &FIELDS))
        form method="post" action="/admin/settings" class="settings" {
            (csrf_input(&chrome.csrf_token))
            (Field::new("site_title", "Site title").write_error(error).input(
                "text",
                Some(&form.site_title),
                &InputAttrs { required: true, maxlength: Some(100), ..InputAttrs::default() },
            ))
            (Field::new("site_description", "Description")
                .hint("a sentence under the title on your home page")
                .write_error(error)
                .textarea(&form.site_description, 3, None))
            (select_field(
                &Field::new("theme", "Theme").write_error(error),
                form.theme.trim(),
                &themes,
            ))
            (Field::new("primary_color", "Accent colour")
                .hint("leave empty for the theme's colour")
                .write_error(error)
                .input("text", Some(&form.primary_color), &InputAttrs {
                    placeholder: Some("#2f7d4a"),
                    autocomplete: Some("off"),
                    spellcheck: Some("false"),
                    ..InputAttrs::default()
                }))
            (select_field(
                &Field::new("font_family", "Font").write_error(error),
                form.font_family.trim(),
                &fonts,
            ))
            (time_zone_field(form, error))
            (listed_field(form, error))
            (discourage_field(form, error))
            div class="actions" {
                button type="submit" class="primary" { "Save settings" }
            }
        }
        (super::address::address_section(chrome))
    };
    admin_layout(chrome, "Settings", notice, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::errors::FieldError;
    use crate::views::admin::test_util::{
        assert_admin_head, assert_csrf_in_every_form, chrome, count,
    };

    fn form() -> SettingsForm {
        SettingsForm {
            site_title: "Autumn & <Co>".into(),
            site_description: "Leaves\nand more".into(),
            theme: "midnight".into(),
            primary_color: String::new(),
            font_family: String::new(),
            time_zone: String::new(),
            listed: true,
            discourage_search: false,
        }
    }

    #[test]
    fn shows_the_stored_settings_with_the_chosen_options_selected() {
        let html = settings_form(&chrome(), &form(), None, Some("Saved.")).into_string();
        assert_admin_head(&html, "Settings");
        assert!(html.contains("<form method=\"post\" action=\"/admin/settings\""));
        assert_csrf_in_every_form(&html, "tok-123");
        assert!(html.contains("<p class=\"notice\" role=\"status\">Saved.</p>"));
        assert!(html
            .contains("id=\"site_title\" name=\"site_title\" value=\"Autumn &amp; &lt;Co&gt;\""));
        assert!(html.contains("rows=\"3\""));
        assert!(html.contains(">\nLeaves\nand more</textarea>"));

        assert!(html.contains("<option value=\"midnight\" selected>"));
        assert_eq!(
            count(&html, " selected>"),
            3,
            "one theme, one font, one zone"
        );
        for t in ThemePreset::ALL {
            assert!(html.contains(&format!("<option value=\"{}\"", t.as_str())));
        }
        assert!(html.contains("<option value=\"\" selected>Theme default</option>"));
        for f in FontFamily::ALL {
            assert!(html.contains(&format!("<option value=\"{}\">", f.as_str())));
        }
        assert!(html.contains(
            "<input type=\"text\" id=\"primary_color\" name=\"primary_color\" value=\"\" placeholder=\"#2f7d4a\""
        ));
        assert!(
            html.contains("leave empty for the theme&#39;s colour")
                || html.contains("leave empty for the theme's colour")
        );
        assert!(html.contains("<button type=\"submit\" class=\"primary\">Save settings</button>"));

        let mono = SettingsForm {
            font_family: "mono".into(),
            theme: "paper".into(),
            ..form()
        };
        let html = settings_form(&chrome(), &mono, None, None).into_string();
        assert!(html.contains("<option value=\"mono\" selected>Monospace</option>"));
        assert!(html.contains("<option value=\"paper\" selected>"));
        assert!(!html.contains("<option value=\"midnight\" selected>"));
    }

    #[test]
    fn the_time_zone_is_a_list_and_unset_lets_the_browser_choose() {
        let html = settings_form(&chrome(), &form(), None, None).into_string();
        assert!(html.contains("<label for=\"time_zone\">Time zone</label>"));
        assert!(html.contains(
            "<select id=\"time_zone\" name=\"time_zone\" data-from-browser aria-describedby=\"time_zone-hint\">"
        ));
        assert!(html.contains("<option value=\"UTC\" selected>UTC</option>"));
        assert!(html.contains("<option value=\"Europe/Berlin\">Europe/Berlin</option>"));
        let berlin = SettingsForm {
            time_zone: "Europe/Berlin".into(),
            ..form()
        };
        let html = settings_form(&chrome(), &berlin, None, None).into_string();
        assert!(html.contains("<option value=\"Europe/Berlin\" selected>Europe/Berlin</option>"));
        assert!(!html.contains("data-from-browser"));
        assert!(!html.contains("<option value=\"UTC\" selected>"));
    }

    #[test]
    fn listing_on_the_home_page_is_a_checkbox() {
        let html = settings_form(&chrome(), &form(), None, None).into_string();
        assert!(html.contains(
            "<input type=\"checkbox\" id=\"listed\" name=\"listed\" value=\"on\" checked aria-describedby=\"listed-hint\"><label for=\"listed\">List this blog on Grove&#39;s home page</label>"
        ) || html.contains(
            "<input type=\"checkbox\" id=\"listed\" name=\"listed\" value=\"on\" checked aria-describedby=\"listed-hint\"><label for=\"listed\">List this blog on Grove's home page</label>"
        ), "{html}");
        let off = SettingsForm {
            listed: false,
            ..form()
        };
        let html = settings_form(&chrome(), &off, None, None).into_string();
        assert!(html.contains("name=\"listed\" value=\"on\" aria-describedby"));
    }

    #[test]
    fn an_invalid_colour_is_kept_and_marked() {
        let bad = SettingsForm {
            primary_color: "red\"><script>".into(),
            ..form()
        };
        let error = WriteError::Invalid(vec![FieldError::new(
            "primary_color",
            "A colour looks like #2f7d4a.",
        )]);
        let html = settings_form(&chrome(), &bad, Some(&error), None).into_string();
        assert!(!html.contains("<script>"));
        assert!(html.contains("value=\"red&quot;&gt;&lt;script&gt;\""));
        assert!(html.contains(
            "aria-invalid=\"true\" aria-describedby=\"primary_color-error primary_color-hint\"><p class=\"field-error\" id=\"primary_color-error\">A colour looks like #2f7d4a.</p>"
        ));
        assert!(html.contains("Please correct the fields marked below:"));
        assert_eq!(count(&html, "aria-invalid=\"true\""), 1);
    }
}
