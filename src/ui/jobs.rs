//! Long work (demo data, import) runs on a worker thread with its own database connection;
//! the window polls for the result each frame and stays responsive meanwhile.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

pub struct Job<T> {
    receiver: Receiver<crate::Result<T>>,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a new thread and repaints the window when it is done.
    pub fn spawn(ctx: &egui::Context, work: impl FnOnce() -> crate::Result<T> + Send + 'static) -> Self {
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            sender.send(work()).ok();
            ctx.request_repaint();
        });
        Job { receiver }
    }

    /// The outcome once the work has finished, `None` while it runs.
    pub fn poll(&self) -> Option<crate::Result<T>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(crate::Error::rejected("后台任务意外中止，未完成"))),
        }
    }
}
