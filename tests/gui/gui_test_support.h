#pragma once
// Helpers for the offscreen GUI tests: fixture paths and waiting on the event loop (QtTest is not linked).
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QString>
#include <QThread>
#include <functional>

namespace hl::test {

inline QString fixtureModel(const char* family) {
  return QDir(QStringLiteral(HL_TEST_DATA_DIR "/fixtures/models")).filePath(QString::fromLatin1(family));
}
inline QString tinyTokenizer() { return QStringLiteral(HL_TEST_DATA_DIR "/tokenizers/tiny-bpe-512/tokenizer.json"); }
inline QString outputPath(const QString& name) { return QDir(QStringLiteral(HL_TEST_OUTPUT_DIR)).filePath(name); }

// Runs the event loop until done() or timeout_ms; returns done().
inline bool waitUntil(const std::function<bool()>& done, int timeout_ms = 60000) {
  QElapsedTimer t;
  t.start();
  while (!done()) {
    if (t.elapsed() > timeout_ms) return false;
    QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    QThread::msleep(2);
  }
  return true;
}

// The first n bytes of a file (empty when it cannot be read): format signatures of exports.
inline QByteArray fileHead(const QString& path, qint64 n) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.read(n) : QByteArray();
}

}  // namespace hl::test
