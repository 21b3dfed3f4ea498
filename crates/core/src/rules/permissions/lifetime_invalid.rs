//! EG207 lifetime-invalid — `rules/EG207-lifetime-invalid.md`.

use super::lifetime;
use crate::context::Context;
use crate::finding::{Finding, Location};
use crate::registry::Rule;
use crate::rules::Check;
use crate::value::Number;

/// `lifetimeInMinutes` must be a positive integer.
pub struct LifetimeInvalid;

impl Check for LifetimeInvalid {
    fn rule(&self) -> Rule {
        Rule::LifetimeInvalid
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Vec<Finding>) {
        let Some(minutes) = lifetime(ctx) else { return };
        let Some((problem, help)) = judge(&minutes.value) else {
            return;
        };
        out.push(
            Finding::new(
                Rule::LifetimeInvalid,
                Location::request(minutes.pointer.clone()),
                format!("`lifetimeInMinutes` is `{}`, {problem}; it must be a positive whole number of minutes", minutes.value.text),
            )
            .help(help)
            .arg("value", minutes.value.text.clone()),
        );
    }
}

/// What is wrong with a `lifetimeInMinutes` value, and the fix; `None` when it is an integer of
/// at least zero that fits 32 bits (zero and large values are EG208's).
fn judge(n: &Number) -> Option<(&'static str, String)> {
    let drop = "or remove `lifetimeInMinutes` to get the default (the remaining lifetime of the caller's Entra token)";
    let negative = n.value < 0.0;
    let spelled_whole = n.integer.is_some()
        || n.text
            .trim_start_matches(['-', '+'])
            .bytes()
            .all(|b| b.is_ascii_digit());
    if negative {
        let problem = if spelled_whole {
            "a negative number"
        } else {
            "negative and not an integer"
        };
        let example = if n.value <= -1.0 && n.value >= -60.0 {
            -n.value.trunc()
        } else {
            30.0
        };
        return Some((
            problem,
            format!(
                "write a positive number of minutes, e.g. `lifetimeInMinutes: {example}`, {drop}"
            ),
        ));
    }
    if !spelled_whole {
        let whole = if n.value.is_finite() && n.value >= 1.0 && n.value <= f64::from(i32::MAX) {
            format!("e.g. `lifetimeInMinutes: {}`", n.value.trunc())
        } else {
            "e.g. `lifetimeInMinutes: 30`".to_string()
        };
        return Some((
            "not an integer",
            format!(
                "write a whole number of minutes without a fraction or exponent, {whole}, {drop}"
            ),
        ));
    }
    if n.integer.is_none_or(|i| i32::try_from(i).is_err()) {
        return Some((
            "too large for Power BI's 32-bit integer",
            format!("write a number of minutes up to 60, {drop}"),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::judge;
    use crate::value::Number;

    fn number(text: &str, value: f64, integer: Option<i64>) -> Number {
        Number {
            text: text.into(),
            value,
            integer,
        }
    }

    #[test]
    fn positive_integers_and_zero_are_valid() {
        assert!(judge(&number("30", 30.0, Some(30))).is_none());
        assert!(judge(&number("0", 0.0, Some(0))).is_none());
        assert!(judge(&number("0x3C", 60.0, Some(60))).is_none());
        assert!(judge(&number("2147483647", 2_147_483_647.0, Some(2_147_483_647))).is_none());
    }

    #[test]
    fn negative_fractional_and_oversized_values_are_not() {
        let problem = |n: Number| judge(&n).map(|(p, _)| p);
        assert_eq!(
            problem(number("-5", -5.0, Some(-5))),
            Some("a negative number")
        );
        assert_eq!(
            problem(number("-0.5", -0.5, None)),
            Some("negative and not an integer")
        );
        assert_eq!(problem(number("10.5", 10.5, None)), Some("not an integer"));
        assert_eq!(problem(number("10.0", 10.0, None)), Some("not an integer"));
        assert_eq!(problem(number("1e3", 1000.0, None)), Some("not an integer"));
        assert_eq!(
            problem(number(".inf", f64::INFINITY, None)),
            Some("not an integer")
        );
        assert_eq!(
            problem(number(".nan", f64::NAN, None)),
            Some("not an integer")
        );
        assert_eq!(
            problem(number("2147483648", 2_147_483_648.0, Some(2_147_483_648))),
            Some("too large for Power BI's 32-bit integer")
        );
        assert_eq!(
            problem(number("99999999999999999999", 1e20, None)),
            Some("too large for Power BI's 32-bit integer")
        );
    }

    #[test]
    fn the_fix_keeps_the_whole_part() {
        let help = judge(&number("10.5", 10.5, None))
            .map(|(_, h)| h)
            .unwrap_or_default();
        assert!(help.contains("`lifetimeInMinutes: 10`"), "{help}");
    }
}
