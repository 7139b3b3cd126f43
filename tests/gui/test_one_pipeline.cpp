// One pipeline (core/compare): the window, `hybridlens-cli score --reference` and `hybridlens --render` give the same
// report, byte for byte, for the same models and text — here the built-in demo pair on its sample text, with the
// context cut to 64 tokens (a copy of the pair whose config.json says max_position_embeddings 64; the weights are
// the demo's own, linked), so the text is longer than the context and every path must window it the same way.
#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/util/demo_pair.h"
#include "window_test_support.h"

namespace fs = std::filesystem;

namespace {

constexpr int kContext = 64;

// A copy of the demo pair in `dir` whose models have a kContext-token context.
void write_short_context_demo(const hl::DemoPair& demo, const fs::path& dir) {
  for (const fs::path& model : {demo.hybrid, demo.transformer}) {
    const fs::path copy = dir / model.filename();
    fs::create_directories(copy);
    for (const char* file : {"model.safetensors", "tokenizer.json"}) fs::create_symlink(model / file, copy / file);
    nlohmann::json config = nlohmann::json::parse(std::ifstream(model / "config.json"));
    config["max_position_embeddings"] = kContext;
    std::ofstream(copy / "config.json") << config.dump(2);
  }
  fs::copy_file(demo.sample, dir / demo.sample.filename());
}

struct Run {
  int code;
  QByteArray out, err;
};

Run run(const QString& program, const QStringList& args) {
  QProcess p;
  p.start(program, args);
  p.waitForFinished(300000);
  return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
          p.readAllStandardError()};
}

QByteArray read_all(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

TEST_CASE("the window, score and render write the same report bytes for a text longer than the context",
          "[gui][pipeline]") {
  const auto demo = hl::find_demo_pair(QCoreApplication::applicationDirPath().toStdString());
  REQUIRE(demo.has_value());
  QTemporaryDir tmp;
  REQUIRE(tmp.isValid());
  const fs::path dir = tmp.path().toStdString();
  write_short_context_demo(*demo, dir);
  qputenv("HYBRIDLENS_DEMO_DIR", QByteArray::fromStdString(dir.string()));
  const QString hybrid = QString::fromStdString((dir / demo->hybrid.filename()).string());
  const QString reference = QString::fromStdString((dir / demo->transformer.filename()).string());
  const QString sample = QString::fromStdString((dir / demo->sample.filename()).string());

  // hybridlens-cli score --reference.
  const Run cli = run(QStringLiteral(HL_CLI_EXE), {QStringLiteral("score"), QStringLiteral("--model"), hybrid,
                                                  QStringLiteral("--reference"), reference, QStringLiteral("--file"),
                                                  sample});
  INFO(cli.err.toStdString());
  REQUIRE(cli.code == 0);
  // The text is longer than the context: both models were scored in windows of it.
  CHECK(cli.err.count(QByteArray("scored in windows of ") + QByteArray::number(kContext) + " tokens") == 2);
  CHECK(cli.out.startsWith('{'));

  // hybridlens --render (no window), on the demo pair it finds through HYBRIDLENS_DEMO_DIR.
  const QString gui = QFileInfo(QStringLiteral(HL_CLI_EXE)).dir().filePath(QStringLiteral("hybridlens"));
  const QString rendered = QDir(tmp.path()).filePath(QStringLiteral("render.json"));
  const Run render = run(gui, {QStringLiteral("--render"), QDir(tmp.path()).filePath(QStringLiteral("slide.svg")),
                               QStringLiteral("--report"), rendered});
  INFO(render.err.toStdString());
  REQUIRE(render.code == 0);
  CHECK(read_all(rendered) == cli.out);

  // The window: Models → Demo pair, scored, File → Export report → JSON.
  hl::ui::MainWindow w;
  w.resize(1200, 800);
  w.show();
  QString error;
  REQUIRE(w.openDemo(&error));
  auto* c = w.controller();
  REQUIRE(hl::test::waitUntil([&] { return c->report() != nullptr && !c->busy(); }));
  const QString exported = QDir(tmp.path()).filePath(QStringLiteral("window.json"));
  REQUIRE(w.exportReport(exported, &error));
  CHECK(read_all(exported) == cli.out);
  qunsetenv("HYBRIDLENS_DEMO_DIR");
}
