#include <QApplication>
#include <QCommandLineParser>
#include <QEventLoop>
#include <QPlainTextEdit>
#include <QStatusBar>
#include <QTextStream>
#include <cstring>

#include "core/engine/device_backend.h"
#include "core/util/version.h"
#include "ui/MainWindow.h"
#include "ui/views/ModelPanel.h"
#include "ui/ScoringController.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"

namespace {

// --render: score, export the slide, exit; no window is shown. Returns the exit code.
int renderSlide(hl::ui::MainWindow& w, const QString& out, hl::ui::SlideOptions options, const QString& callout) {
  QTextStream err(stderr);
  auto* c = w.controller();
  QString failure;
  QEventLoop loop;
  QObject::connect(c, &hl::ui::ScoringController::failed, &loop, [&](const QString& m) {
    failure = m;
    loop.quit();
  });
  QObject::connect(c, &hl::ui::ScoringController::reportReady, &loop, [&] {
    if (c->report()) loop.quit();
  });
  c->scoreText(w.textEditor()->toPlainText());  // now, not after the typing debounce
  if (!c->report() && failure.isEmpty()) loop.exec();
  if (!failure.isEmpty()) {
    err << "hybridlens: " << failure << '\n';
    return 1;
  }
  // The unit to explain: "best" = the hybrid's largest gain, "worst" = its largest loss, a unit number, or none.
  const hl::ui::TokenDeltaModel* m = w.tokenModel();
  options.callout = -1;
  if (callout == QLatin1String("best") || callout == QLatin1String("worst")) {
    const double sign = callout == QLatin1String("best") ? 1.0 : -1.0;
    double top = 0;
    for (int u = 0; u < m->unitCount(); ++u)
      if (sign * m->delta(u) > top) {
        top = sign * m->delta(u);
        options.callout = u;
      }
  } else if (!callout.isEmpty()) {
    bool ok = false;
    options.callout = callout.toInt(&ok);
    if (!ok || options.callout < 0 || options.callout >= m->unitCount()) {
      err << "hybridlens: --callout must be best, worst or a unit number below " << m->unitCount() << '\n';
      return 2;
    }
  }
  QString error;
  if (!w.exportSlide(out, options, &error)) {
    err << "hybridlens: " << error << '\n';
    return 1;
  }
  QTextStream(stdout) << "wrote " << out << '\n';
  return 0;
}

QString unavailableReason(const QString& device) {
  for (const hl::engine::DeviceInfo& d : hl::engine::available_devices())
    if (QString::fromStdString(d.id) == device) return QString::fromStdString(d.reason);
  return QStringLiteral("must be cpu or cuda");
}

// --render is a command-line tool: its stderr carries one-line errors only, not Qt's notes about the offscreen
// platform (missing XDG_RUNTIME_DIR, size hints). Critical and fatal messages still go through.
void quietMessages(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtCriticalMsg || type == QtFatalMsg) QTextStream(stderr) << "hybridlens: " << message << '\n';
}

}  // namespace

int main(int argc, char** argv) {
  // A render needs no display: use the offscreen platform unless the user chose one.
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--render") == 0) {
      if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
      qInstallMessageHandler(quietMessages);
    }
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("HybridLens"));
  QApplication::setOrganizationName(QStringLiteral("HybridLens"));
  QApplication::setApplicationVersion(QString::fromLatin1(hl::kVersion));

  QCommandLineParser parser;
  parser.setApplicationDescription(QStringLiteral(
      "Explore a hybrid language model against a transformer reference: every token of a text is coloured by\n"
      "Δ = NLL(reference) − NLL(hybrid) (blue: the hybrid predicted it better)."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption model(QStringList{QStringLiteral("m"), QStringLiteral("model")},
                                 QStringLiteral("The hybrid model folder (Hugging Face layout)."), QStringLiteral("DIR"));
  const QCommandLineOption reference(QStringList{QStringLiteral("r"), QStringLiteral("reference")},
                                     QStringLiteral("A reference (transformer) model folder; repeat it to compare "
                                                    "with several (Δ and the slide use the first)."),
                                     QStringLiteral("DIR"));
  const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("Run the models on cpu (default) or cuda."),
                                  QStringLiteral("DEVICE"), QStringLiteral("cpu"));
  const QCommandLineOption tokenizer(QStringList{QStringLiteral("t"), QStringLiteral("tokenizer")},
                                     QStringLiteral("tokenizer.json (or its folder) for model folders without one."),
                                     QStringLiteral("PATH"));
  const QCommandLineOption text(QStringLiteral("text"), QStringLiteral("The text to explore (instead of a file)."),
                                QStringLiteral("TEXT"));
  const QCommandLineOption render(QStringLiteral("render"),
                                  QStringLiteral("Headless: score, write the slide (.png, .svg or .pdf) and exit.\n"
                                                 "Without --model and --reference: the built-in demo pair."),
                                  QStringLiteral("OUT"));
  const QCommandLineOption title(QStringLiteral("title"), QStringLiteral("--render: the slide's title."),
                                 QStringLiteral("TITLE"));
  const QCommandLineOption caption(QStringLiteral("caption"), QStringLiteral("--render: a caption under the text."),
                                   QStringLiteral("TEXT"));
  const QCommandLineOption width(QStringLiteral("width"), QStringLiteral("--render: text width in pixels (1100)."),
                                 QStringLiteral("PX"), QStringLiteral("1100"));
  const QCommandLineOption scale(QStringLiteral("scale"), QStringLiteral("--render: PNG pixels per point (2)."),
                                 QStringLiteral("S"), QStringLiteral("2"));
  const QCommandLineOption callout(QStringLiteral("callout"),
                                   QStringLiteral("--render: outline and explain one unit: best, worst or its number."),
                                   QStringLiteral("UNIT"));
  for (const auto* o : {&model, &reference, &device, &tokenizer, &text, &render, &title, &caption, &width, &scale, &callout})
    parser.addOption(*o);
  parser.addPositionalArgument(QStringLiteral("file"),
                               QStringLiteral("A text file to open (.txt, .md, .py, .html, .tex) or a session (.hlens)."),
                               QStringLiteral("[file]"));
  parser.process(app);

  QTextStream err(stderr);
  if (parser.isSet(model) != parser.isSet(reference)) {
    err << "hybridlens: --model and --reference go together\n";
    return 2;
  }
  hl::ui::MainWindow w;
  // The user's preferences, before a session or command-line models apply; a render neither reads nor changes them.
  if (!parser.isSet(render)) w.restoreSettings();
  const QStringList files = parser.positionalArguments();
  if (!files.isEmpty()) {
    QString error;
    const bool session = files.front().endsWith(QLatin1String(".hlens"), Qt::CaseInsensitive);
    if (!(session ? w.openSession(files.front(), &error) : w.openTextFile(files.front(), &error))) {
      err << "hybridlens: " << error << '\n';
      return 2;
    }
  }
  if (parser.isSet(text)) w.textEditor()->setPlainText(parser.value(text));
  if (parser.isSet(model)) {
    if (!w.modelPanel()->setDevice(parser.value(device))) {
      err << "hybridlens: --device " << parser.value(device) << ": " << unavailableReason(parser.value(device)) << '\n';
      return 2;
    }
    w.loadModels(parser.value(model), parser.values(reference), parser.value(tokenizer));
  } else if (files.isEmpty() && !parser.isSet(text)) {
    // A first run shows the point of the app at once: the built-in pair on its sample text, already coloured.
    QString error;
    if (!w.openDemo(&error)) {
      if (parser.isSet(render)) {
        err << "hybridlens: " << error << '\n';
        return 2;
      }
      w.statusBar()->showMessage(error, 15000);
    }
  } else if (parser.isSet(render)) {
    err << "hybridlens: --render needs --model and --reference (or neither, for the built-in demo)\n";
    return 2;
  }
  if (parser.isSet(render)) {
    hl::ui::SlideOptions options;
    options.title = parser.value(title);
    options.caption = parser.value(caption);
    bool ok_width = false, ok_scale = false;
    options.width = parser.value(width).toInt(&ok_width);
    options.pngScale = parser.value(scale).toDouble(&ok_scale);
    if (!ok_width || options.width < 320 || options.width > 4000 || !ok_scale || options.pngScale < 0.5 ||
        options.pngScale > 8) {
      err << "hybridlens: --width must be 320..4000 and --scale 0.5..8\n";
      return 2;
    }
    return renderSlide(w, parser.value(render), options, parser.value(callout));
  }
  w.show();
  return QApplication::exec();
}
