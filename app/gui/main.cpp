#include <QApplication>
#include <QCommandLineParser>
#include <QTextStream>

#include "core/util/version.h"
#include "ui/MainWindow.h"

int main(int argc, char** argv) {
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
                                     QStringLiteral("The reference (transformer) model folder."), QStringLiteral("DIR"));
  const QCommandLineOption tokenizer(QStringList{QStringLiteral("t"), QStringLiteral("tokenizer")},
                                     QStringLiteral("tokenizer.json (or its folder) for model folders without one."),
                                     QStringLiteral("PATH"));
  parser.addOption(model);
  parser.addOption(reference);
  parser.addOption(tokenizer);
  parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A text file to open (.txt, .md, .py, .html, .tex)."),
                               QStringLiteral("[file]"));
  parser.process(app);

  hl::ui::MainWindow w;
  const QStringList files = parser.positionalArguments();
  if (!files.isEmpty()) {
    QString error;
    if (!w.openTextFile(files.front(), &error)) {
      QTextStream(stderr) << "hybridlens: " << error << '\n';
      return 2;
    }
  }
  if (parser.isSet(model) != parser.isSet(reference)) {
    QTextStream(stderr) << "hybridlens: --model and --reference go together\n";
    return 2;
  }
  if (parser.isSet(model)) w.loadModels(parser.value(model), parser.value(reference), parser.value(tokenizer));
  w.show();
  return QApplication::exec();
}
