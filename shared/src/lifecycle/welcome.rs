//! The setup wizard's progress (`/admin/welcome`): three steps (title and
//! description, a theme, a first post), each to do, done or skipped, and
//! whether the owner dismissed the dashboard's checklist.
//!
//! The progress is one blog setting, [`SETTING`], written through the
//! actor's normal write path (`Command::UpdateSettings`), so it is in D1
//! and survives restarts. No reader page shows it, so saving it re-renders
//! and purges nothing ([`admin_only_setting`]).
//!
//! A step also counts as done when the blog already has what it asks for,
//! however it got there (a description saved in Settings, a theme chosen
//! there, a post published from the editor). A blog without the setting
//! at all was either made before the wizard existed or has not opened it
//! yet: its checklist shows only while it has no post.

use crate::admin::content::TenantContent;
use crate::model::PostStatus;
use crate::reader_headers::CSP_SELF;

/// The blog setting that holds the progress.
pub const SETTING: &str = "welcome";
/// The wizard.
pub const WIZARD_PATH: &str = "/admin/welcome";
/// `{PREVIEW_PATH}/{preset}`: the home page in a preset, for the wizard's frames.
pub const PREVIEW_PATH: &str = "/admin/welcome/preview";

/// Whether a setting is the admin's own (no reader page shows it), so a
/// write of it changes no page.
pub fn admin_only_setting(key: &str) -> bool {
    key == SETTING
}

/// One step of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Title,
    Theme,
    Post,
}

impl Step {
    pub const ALL: [Step; 3] = [Step::Title, Step::Theme, Step::Post];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Title => "title",
            Step::Theme => "theme",
            Step::Post => "post",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.as_str() == s)
    }

    /// 1, 2 or 3.
    pub fn number(self) -> usize {
        match self {
            Step::Title => 1,
            Step::Theme => 2,
            Step::Post => 3,
        }
    }

    /// What the step asks, as the checklist says it.
    pub fn label(self) -> &'static str {
        match self {
            Step::Title => "Name your blog and describe it",
            Step::Theme => "Choose a theme",
            Step::Post => "Publish a first post",
        }
    }

    /// The step after this one.
    pub fn next(self) -> Option<Step> {
        match self {
            Step::Title => Some(Step::Theme),
            Step::Theme => Some(Step::Post),
            Step::Post => None,
        }
    }
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum State {
    #[default]
    Todo,
    Done,
    Skipped,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Todo => "todo",
            State::Done => "done",
            State::Skipped => "skipped",
        }
    }

    fn parse(s: &str) -> State {
        match s {
            "done" => State::Done,
            "skipped" => State::Skipped,
            _ => State::Todo,
        }
    }
}

/// The progress as stored: `title=done&theme=skipped&post=todo&dismissed=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub title: State,
    pub theme: State,
    pub post: State,
    /// The owner hid the dashboard's checklist.
    pub dismissed: bool,
}

impl Progress {
    /// Reads a stored value; anything unknown is ignored.
    pub fn parse(value: &str) -> Progress {
        let mut p = Progress::default();
        for (k, v) in form_urlencoded::parse(value.as_bytes()) {
            match (&*k, &*v) {
                ("dismissed", v) => p.dismissed = v == "1",
                (step, v) => {
                    if let Some(step) = Step::parse(step) {
                        *p.slot(step) = State::parse(v);
                    }
                }
            }
        }
        p
    }

    /// The value to store.
    pub fn encode(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for step in Step::ALL {
            out.append_pair(step.as_str(), self.state(step).as_str());
        }
        if self.dismissed {
            out.append_pair("dismissed", "1");
        }
        out.finish()
    }

    /// The stored progress of a blog, if it has any.
    pub fn of(content: &TenantContent) -> Option<Progress> {
        content.settings.get(SETTING).map(|v| Progress::parse(v))
    }

    pub fn state(&self, step: Step) -> State {
        match step {
            Step::Title => self.title,
            Step::Theme => self.theme,
            Step::Post => self.post,
        }
    }

    fn slot(&mut self, step: Step) -> &mut State {
        match step {
            Step::Title => &mut self.title,
            Step::Theme => &mut self.theme,
            Step::Post => &mut self.post,
        }
    }

    /// The same progress with `step` at `state`.
    pub fn with(mut self, step: Step, state: State) -> Progress {
        *self.slot(step) = state;
        self
    }
}

/// Where the blog stands, as the wizard and the dashboard show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// Each step with its state (done when the blog has what it asks for).
    pub steps: [(Step, State); 3],
    /// The dashboard shows the checklist.
    pub show: bool,
    /// The progress as stored (the default when there is none).
    pub stored: Progress,
}

impl Checklist {
    /// The blog's checklist now.
    pub fn of(content: &TenantContent) -> Checklist {
        let stored = Progress::of(content);
        let has = |key: &str| {
            content
                .settings
                .get(key)
                .is_some_and(|v| !v.trim().is_empty())
        };
        let published = content
            .posts
            .iter()
            .any(|p| p.status == PostStatus::Published);
        let progress = stored.unwrap_or_default();
        let state = |step: Step, already: bool| match progress.state(step) {
            _ if already => State::Done,
            s => s,
        };
        let steps = [
            (Step::Title, state(Step::Title, has("site_description"))),
            (Step::Theme, state(Step::Theme, has("theme"))),
            (Step::Post, state(Step::Post, published)),
        ];
        let all_done = steps.iter().all(|(_, s)| *s == State::Done);
        let show =
            !all_done && !progress.dismissed && (stored.is_some() || content.posts.is_empty());
        Checklist {
            steps,
            show,
            stored: progress,
        }
    }

    pub fn state(&self, step: Step) -> State {
        self.steps
            .iter()
            .find(|(s, _)| *s == step)
            .map_or(State::Todo, |(_, state)| *state)
    }

    /// The step the wizard opens at: the first still to do, else the
    /// first skipped (to resume), else none (everything is done).
    pub fn next_step(&self) -> Option<Step> {
        let first = |wanted: State| {
            self.steps
                .iter()
                .find(|(_, s)| *s == wanted)
                .map(|(step, _)| *step)
        };
        first(State::Todo).or_else(|| first(State::Skipped))
    }

    /// How many steps are done.
    pub fn done(&self) -> usize {
        self.steps.iter().filter(|(_, s)| *s == State::Done).count()
    }
}

/// The framing an admin answer allows, decided by its path. The wizard
/// shows each preset's preview in an `<iframe>` of its own origin (the
/// real reader page, styles and all, isolated from the admin's): its page
/// may frame its own origin (`frame-src 'self'`), and only the preview
/// path may be framed, by its own origin only. Every other admin answer
/// keeps `frame-ancestors 'none'` and frames nothing.
///
/// Returns the `Content-Security-Policy` and `X-Frame-Options` to send
/// instead of `admin_csp` and `DENY`, or `None` to keep them.
pub fn frame_headers(path: &str, admin_csp: &str) -> Option<(String, &'static str)> {
    let path = path.trim_end_matches('/');
    if path.starts_with(PREVIEW_PATH) {
        // A reader page: no script, no form that posts anywhere but home.
        let csp = CSP_SELF.replace("frame-ancestors 'none'", "frame-ancestors 'self'");
        return Some((csp, "SAMEORIGIN"));
    }
    if path == WIZARD_PATH || path.starts_with(&format!("{WIZARD_PATH}/")) {
        return Some((format!("{admin_csp}; frame-src 'self'"), "DENY"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::admin::test_fixtures::content;
    use crate::model::Post;

    fn post(status: PostStatus) -> Post {
        Post {
            id: "p".into(),
            slug: "p".into(),
            title: "P".into(),
            markdown: String::new(),
            status,
            tags: vec![],
            published_at: Some(1),
            updated_at: 1,
            version: 1,
        }
    }

    #[test]
    fn progress_round_trips_and_ignores_what_it_does_not_know() {
        let p = Progress::default()
            .with(Step::Title, State::Done)
            .with(Step::Theme, State::Skipped);
        assert_eq!(p.encode(), "title=done&theme=skipped&post=todo");
        assert_eq!(Progress::parse(&p.encode()), p);
        let dismissed = Progress {
            dismissed: true,
            ..p
        };
        assert_eq!(Progress::parse(&dismissed.encode()), dismissed);
        assert_eq!(
            Progress::parse("post=done&colour=blue&title=maybe"),
            Progress::default().with(Step::Post, State::Done)
        );
    }

    #[test]
    fn a_new_blog_shows_its_checklist_until_every_step_is_done() {
        let mut c = content();
        c.pages.clear();
        let list = Checklist::of(&c);
        assert!(list.show, "no progress yet, no post: a new blog");
        assert_eq!(list.next_step(), Some(Step::Title));
        // Skipped steps stay on the checklist, and are where it resumes.
        let skipped = Progress::default()
            .with(Step::Title, State::Done)
            .with(Step::Theme, State::Skipped)
            .with(Step::Post, State::Skipped);
        c.settings.insert(SETTING.into(), skipped.encode());
        let list = Checklist::of(&c);
        assert!(list.show);
        assert_eq!(list.next_step(), Some(Step::Theme));
        assert_eq!(list.done(), 1);
        // What the blog has counts, however it got there.
        c.settings.insert("theme".into(), "midnight".into());
        c.posts.push(post(PostStatus::Published));
        let list = Checklist::of(&c);
        assert_eq!(list.state(Step::Theme), State::Done);
        assert_eq!(list.state(Step::Post), State::Done);
        assert!(!list.show, "every step done");
        assert_eq!(list.next_step(), None);
    }

    #[test]
    fn a_draft_is_not_a_first_post_and_dismissing_hides_the_checklist() {
        let mut c = content();
        c.posts.push(post(PostStatus::Draft));
        c.settings.insert(
            SETTING.into(),
            Progress::default().with(Step::Title, State::Done).encode(),
        );
        let list = Checklist::of(&c);
        assert_eq!(list.state(Step::Post), State::Todo);
        assert!(list.show);
        let dismissed = Progress {
            dismissed: true,
            ..list.stored
        };
        c.settings.insert(SETTING.into(), dismissed.encode());
        assert!(!Checklist::of(&c).show);
    }

    #[test]
    fn a_blog_from_before_the_wizard_with_posts_shows_no_checklist() {
        let mut c = content();
        c.posts.push(post(PostStatus::Draft));
        assert!(!Checklist::of(&c).show);
    }

    #[test]
    fn only_the_wizard_frames_and_only_previews_are_framed() {
        let admin = "default-src 'none'; frame-ancestors 'none'; script-src x";
        let (csp, xfo) = frame_headers("/admin/welcome", admin).unwrap();
        assert!(csp.ends_with("; frame-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(xfo, "DENY");
        assert!(frame_headers("/admin/welcome/theme", admin).is_some());
        let (csp, xfo) = frame_headers("/admin/welcome/preview/midnight", admin).unwrap();
        assert!(csp.contains("frame-ancestors 'self'") && !csp.contains("script-src"));
        assert!(!csp.contains("frame-src"));
        assert_eq!(xfo, "SAMEORIGIN");
        assert_eq!(frame_headers("/admin/settings", admin), None);
        assert_eq!(frame_headers("/admin/welcomed", admin), None);
    }
}
