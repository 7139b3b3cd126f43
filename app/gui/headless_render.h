#pragma once
// `hybridlens --render`: score a text with the models through core/compare (the path the window and
// `hybridlens-cli score` take), then draw the slide from the report with SlideExport. No window is built and no
// event loop waits: the work runs on the calling thread and ends with the files written.
#include <QString>
#include <QStringList>
#include <optional>
#include <string>

#include "core/session/session_file.h"
#include "ui/export/SlideExport.h"

namespace hl::app {

struct RenderJob {
  QString hybrid;            // model folders (or Hugging Face cache repo ids)
  QStringList references;    // Δ and the slide use references[active_reference]
  QString tokenizer;         // for folders without tokenizer.json; may be empty
  QString device = QStringLiteral("cpu");
  std::string text;
  int active_reference = 0;
  // A session's view settings (colour range, colouring, category filter); the defaults without one.
  std::optional<session::Session> session;
  ui::SlideOptions slide;
  QString callout;     // best, worst, a unit number, or empty for none
  QString out;         // the slide: .png, .svg or .pdf
  QString reportPath;  // optional: the report as .json, .csv or .html, the bytes `score --reference` writes
};

// The job's models and text from the command line's sources: a session file, else --model/--reference, else the
// built-in demo pair; the text from --text, else the session's or the file's, else the demo's sample. nullopt
// with *error (one line) when they do not make a job.
std::optional<RenderJob> render_job_from(const QString& file, const QString& hybrid, const QStringList& references,
                                         const QString& tokenizer, const QString& device,
                                         const std::optional<QString>& text, QString* error);

// Runs the job; the exit code: 0 written, 1 scoring or writing failed, 2 a bad option. One-line errors on stderr.
int render(const RenderJob& job);

}  // namespace hl::app
