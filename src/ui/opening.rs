//! The window while the database opens: a file written by an older program is upgraded on a
//! worker (100,000 volunteers take seconds), with a bar saying the step; then the desk, or why
//! the file could not be opened.

use super::app::App;
use super::jobs::Job;
use super::open_failure::OpenFailure;
use super::strings as s;
use crate::keystore::Keystore;
use crate::store::{self, Store, UpgradeStep};
use std::path::PathBuf;

/// The database being opened, then the window on it.
pub struct Opening {
    path: PathBuf,
    state: State,
}

enum State {
    Opening(Job<Store, UpgradeStep>),
    Open(Box<App>),
    Failed(OpenFailure),
}

impl Opening {
    /// Opens (and if need be upgrades) the database at `path` on a worker.
    pub fn start(ctx: &egui::Context, path: PathBuf) -> Self {
        let file = path.clone();
        let job = Job::with_progress(ctx, move |progress| {
            store::open_with_progress(&file, Keystore::for_this_user(), &|said: &UpgradeStep| {
                progress.say(said.clone());
            })
        });
        Opening { path, state: State::Opening(job) }
    }

    /// The window on the open database, once it is open.
    pub fn app(&self) -> Option<&App> {
        match &self.state {
            State::Open(app) => Some(app),
            _ => None,
        }
    }

    /// Whether the database is still being opened.
    pub fn is_opening(&self) -> bool {
        matches!(self.state, State::Opening(_))
    }
}

impl eframe::App for Opening {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        if let State::Opening(job) = &self.state
            && let Some(opened) = job.poll()
        {
            self.state = match opened {
                Ok(store) => {
                    let mut app = App::new(store, frame.storage());
                    // The file is checked and the day's backup taken in the background (health.rs).
                    app.check_the_file(ctx);
                    State::Open(Box::new(app))
                }
                Err(err) => State::Failed(OpenFailure::new(&self.path, &err)),
            };
        }
        if let State::Open(app) = &mut self.state {
            app.logic(ctx, frame);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        match &mut self.state {
            State::Open(app) => app.ui(ui, frame),
            State::Failed(failure) => failure.ui(ui, frame),
            State::Opening(job) => {
                let step = job.progress();
                egui::CentralPanel::default().show(ui, |ui| {
                    ui.vertical_centered(|ui| {
                        ui.add_space(ui.available_height() * 0.35);
                        match step {
                            Some(step) => {
                                ui.heading(s::UPGRADING);
                                ui.add_space(8.0);
                                let done = (step.number - 1) as f32 / step.of.max(1) as f32;
                                ui.add(egui::ProgressBar::new(done).desired_width(480.0).animate(true));
                                ui.label(step.to_string());
                            }
                            None => {
                                ui.spinner();
                                ui.label(s::OPENING);
                            }
                        }
                    });
                });
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let State::Open(app) = &mut self.state {
            app.save(storage);
        }
    }
}
