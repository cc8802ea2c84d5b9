//! The one way the window runs long work (a restore, argon2 for a 恢复码, 更换数据密钥, the
//! file's check, an upgrade, an import): on a worker thread with its own database connection
//! (`Store::access`), while the window polls for the result each frame and keeps drawing. Work
//! that can say how far it is says so through [`Progress`], and the window draws the latest.

use std::cell::Cell;
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex, PoisonError};

use super::widgets::show_sticky_dialog;

pub struct Job<T, P = ()> {
    receiver: Receiver<crate::Result<T>>,
    said: Arc<Mutex<Option<P>>>,
    /// How many frames [`Job::modal_ui`] has drawn the window saying the work runs.
    drawn: Cell<u8>,
    worker: std::thread::JoinHandle<()>,
}

/// What the work hands on of how far it is; each saying repaints the window.
pub struct Progress<P> {
    said: Arc<Mutex<Option<P>>>,
    ctx: egui::Context,
}

impl<P> Progress<P> {
    pub fn say(&self, progress: P) {
        *self.said.lock().unwrap_or_else(PoisonError::into_inner) = Some(progress);
        self.ctx.request_repaint();
    }
}

impl<T, P> Job<T, P> {
    /// True until the work has ended, whether or not its outcome was taken yet.
    pub fn is_running(&self) -> bool {
        !self.worker.is_finished()
    }
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a new thread and repaints the window when it is done.
    pub fn spawn(ctx: &egui::Context, work: impl FnOnce() -> crate::Result<T> + Send + 'static) -> Self {
        Job::with_progress(ctx, |_: &Progress<()>| work())
    }
}

impl<T: Send + 'static, P: Clone + Send + 'static> Job<T, P> {
    /// [`Job::spawn`] for work that says how far it is.
    pub fn with_progress(
        ctx: &egui::Context,
        work: impl FnOnce(&Progress<P>) -> crate::Result<T> + Send + 'static,
    ) -> Self {
        let (sender, receiver) = channel();
        let said = Arc::new(Mutex::new(None));
        let progress = Progress { said: Arc::clone(&said), ctx: ctx.clone() };
        let worker = std::thread::spawn(move || {
            sender.send(work(&progress)).ok();
            progress.ctx.request_repaint();
        });
        Job { receiver, said, drawn: Cell::new(0), worker }
    }

    /// The latest the work said of how far it is, if it said anything yet.
    pub fn progress(&self) -> Option<P> {
        self.said.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The outcome once the work has finished, `None` while it runs.
    pub fn poll(&self) -> Option<crate::Result<T>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(crate::Error::rejected("后台任务意外中止，未完成"))),
        }
    }

    /// A window over everything saying what runs, `title` and `saying` beside a spinner:
    /// modal, so nothing behind it is clicked (nor written) until the work ends, and not
    /// closed by Esc.
    pub fn modal_ui(&self, ctx: &egui::Context, title: &str, saying: &str) {
        show_sticky_dialog(ctx, title, |ui| {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(saying);
            });
        });
        self.drawn.set(self.drawn.get().saturating_add(1));
    }

    /// [`Job::poll`] for work shown by [`Job::modal_ui`]: the outcome only once the window
    /// was on screen, so even quick work is seen to have run before its outcome replaces it.
    /// egui lays a new window out unseen in its first frame: on screen means drawn twice.
    pub fn poll_shown(&self) -> Option<crate::Result<T>> {
        if self.drawn.get() >= 2 { self.poll() } else { None }
    }
}
