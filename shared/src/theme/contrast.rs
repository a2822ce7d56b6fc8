//! Colour contrast as WCAG 2 defines it, and the nearest colour of a hue
//! that reaches a given contrast. Pure functions on sRGB colours.

/// The contrast WCAG AA asks of body text and links: 4.5:1.
pub const AA_TEXT: f64 = 4.5;

/// An sRGB colour, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb` or `#rrggbb` (any case).
    pub fn from_hex(hex: &str) -> Option<Rgb> {
        let digits = hex.strip_prefix('#')?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match digits.len() {
            3 => {
                let short = |i: usize| channel(&digits[i..=i]).map(|v| v * 17);
                Some(Rgb(short(0)?, short(1)?, short(2)?))
            }
            6 => Some(Rgb(
                channel(&digits[0..2])?,
                channel(&digits[2..4])?,
                channel(&digits[4..6])?,
            )),
            _ => None,
        }
    }

    /// `#rrggbb`, lower-case.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG relative luminance: 0 for black, 1 for white.
    pub fn relative_luminance(self) -> f64 {
        let linear = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * linear(self.0) + 0.7152 * linear(self.1) + 0.0722 * linear(self.2)
    }
}

/// The WCAG contrast ratio of two colours, from 1 (same) to 21.
pub fn contrast_ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.relative_luminance(), b.relative_luminance());
    let (light, dark) = if la >= lb { (la, lb) } else { (lb, la) };
    (light + 0.05) / (dark + 0.05)
}

/// The lowest contrast of `color` against any of `backgrounds`.
pub fn min_contrast(color: Rgb, backgrounds: &[Rgb]) -> f64 {
    backgrounds
        .iter()
        .map(|&bg| contrast_ratio(color, bg))
        .fold(f64::INFINITY, f64::min)
}

/// A ratio as a person reads it, rounded down so that a colour just short
/// of a threshold never reads as reaching it: `4.49:1`, not `4.50:1`.
pub fn format_ratio(ratio: f64) -> String {
    format!("{:.2}:1", (ratio * 100.0).floor() / 100.0)
}

/// The colour nearest to `color` that has at least `min` contrast against
/// every one of `backgrounds`: the same hue and saturation, made darker or
/// lighter (whichever needs the smaller change) one step of lightness at a
/// time. `color` itself if it passes; `None` if neither direction reaches
/// `min` (a mid-grey background can make that impossible).
pub fn nearest_passing(color: Rgb, backgrounds: &[Rgb], min: f64) -> Option<Rgb> {
    if min_contrast(color, backgrounds) >= min {
        return Some(color);
    }
    let (h, s, l) = to_hsl(color);
    /// Lightness steps: fine enough that no 8-bit colour is skipped.
    const STEPS: u32 = 1000;
    let search = |direction: f64| {
        (1..=STEPS).find_map(|i| {
            let lightness = l + direction * f64::from(i) / f64::from(STEPS);
            if !(0.0..=1.0).contains(&lightness) {
                return None;
            }
            let candidate = from_hsl(h, s, lightness);
            (min_contrast(candidate, backgrounds) >= min).then_some((i, candidate))
        })
    };
    match (search(-1.0), search(1.0)) {
        (Some((dark_steps, dark)), Some((light_steps, light))) => {
            Some(if dark_steps <= light_steps {
                dark
            } else {
                light
            })
        }
        (Some((_, c)), None) | (None, Some((_, c))) => Some(c),
        (None, None) => None,
    }
}

/// Hue (0–1), saturation and lightness of an sRGB colour.
fn to_hsl(Rgb(r, g, b): Rgb) -> (f64, f64, f64) {
    let [r, g, b] = [r, g, b].map(|c| f64::from(c) / 255.0);
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    let d = max - min;
    if d == 0.0 {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    (h / 6.0, s, l)
}

fn from_hsl(h: f64, s: f64, l: f64) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let h6 = h * 6.0;
    let x = c * (1.0 - (h6.rem_euclid(2.0) - 1.0).abs());
    let (r, g, b) = match h6 as u8 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    // Clamped, so the cast cannot truncate out of range.
    let channel = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb(channel(r), channel(g), channel(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(hex: &str) -> Rgb {
        Rgb::from_hex(hex).unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.005
    }

    #[test]
    fn parses_short_and_long_hex() {
        assert_eq!(rgb("#fff"), Rgb(255, 255, 255));
        assert_eq!(rgb("#B4532a"), Rgb(0xb4, 0x53, 0x2a));
        assert_eq!(rgb("#0a8"), Rgb(0, 0xaa, 0x88));
        for bad in ["fff", "#ffff", "#gggggg", "#", "#ééé"] {
            assert_eq!(Rgb::from_hex(bad), None, "{bad}");
        }
        assert_eq!(rgb("#0a8").to_hex(), "#00aa88");
    }

    #[test]
    fn luminance_and_ratios_match_wcag() {
        assert_eq!(rgb("#000").relative_luminance(), 0.0);
        assert!(close(rgb("#fff").relative_luminance(), 1.0));
        assert!(close(contrast_ratio(rgb("#000"), rgb("#fff")), 21.0));
        assert!(close(contrast_ratio(rgb("#fff"), rgb("#000")), 21.0));
        assert!(close(contrast_ratio(rgb("#777"), rgb("#777")), 1.0));
        // Reference values from the WCAG contrast checker.
        assert!(close(contrast_ratio(rgb("#767676"), rgb("#fff")), 4.54));
        assert!(close(contrast_ratio(rgb("#777777"), rgb("#fff")), 4.48));
        // The two colours the browser tests found invisible.
        assert!(close(contrast_ratio(rgb("#fff"), rgb("#fbf7f0")), 1.07));
        assert!(close(contrast_ratio(rgb("#000080"), rgb("#11151c")), 1.14));
    }

    #[test]
    fn ratios_are_shown_rounded_down() {
        assert_eq!(format_ratio(4.4999), "4.49:1");
        assert_eq!(format_ratio(1.0679), "1.06:1");
        assert_eq!(format_ratio(21.0), "21.00:1");
    }

    #[test]
    fn hsl_round_trips_every_grey_and_some_hues() {
        for v in 0..=255u8 {
            let (h, s, l) = to_hsl(Rgb(v, v, v));
            assert_eq!(from_hsl(h, s, l), Rgb(v, v, v));
        }
        for hex in [
            "#b4532a", "#2f7d4a", "#7aa2f7", "#000080", "#ff0066", "#abcdef",
        ] {
            let (h, s, l) = to_hsl(rgb(hex));
            assert_eq!(from_hsl(h, s, l), rgb(hex), "{hex}");
        }
    }

    #[test]
    fn nearest_passing_keeps_the_hue_and_moves_the_least() {
        let paper = [rgb("#fbf7f0"), rgb("#f3ece0")];
        let white = nearest_passing(rgb("#fff"), &paper, AA_TEXT).unwrap();
        assert!(min_contrast(white, &paper) >= AA_TEXT);
        assert_eq!(white.0, white.1, "white stays grey");
        assert_eq!(white.1, white.2, "white stays grey");
        // One step lighter would not pass: it is the nearest.
        let lighter = Rgb(white.0 + 1, white.1 + 1, white.2 + 1);
        assert!(min_contrast(lighter, &paper) < AA_TEXT);

        let midnight = [rgb("#11151c"), rgb("#1a2030")];
        let navy = nearest_passing(rgb("#000080"), &midnight, AA_TEXT).unwrap();
        assert!(min_contrast(navy, &midnight) >= AA_TEXT);
        assert!(
            navy.2 > navy.0 && navy.0 == navy.1,
            "still a blue: {navy:?}"
        );

        // A colour that passes is its own nearest.
        let ok = rgb("#2b2420");
        assert_eq!(nearest_passing(ok, &paper, AA_TEXT), Some(ok));
        // On a mid-grey nothing reaches 7:1.
        assert_eq!(
            nearest_passing(rgb("#ff0000"), &[rgb("#777777")], 7.0),
            None
        );
    }
}
