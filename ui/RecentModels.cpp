#include "ui/RecentModels.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace hl::ui {

namespace {

QString cleaned(const QString& path) { return path.trimmed().isEmpty() ? QString() : QDir::cleanPath(path.trimmed()); }

}  // namespace

bool ModelPair::exists() const {
  return QFileInfo(hybrid).isDir() && QFileInfo(reference).isDir() && (tokenizer.isEmpty() || QFileInfo::exists(tokenizer));
}

QString ModelPair::label() const {
  return QStringLiteral("%1 vs %2").arg(QFileInfo(hybrid).fileName(), QFileInfo(reference).fileName());
}

void RecentModels::add(ModelPair pair) {
  pair = {cleaned(pair.hybrid), cleaned(pair.reference), cleaned(pair.tokenizer)};
  if (pair.hybrid.isEmpty() || pair.reference.isEmpty()) return;
  entries_.removeAll(pair);
  entries_.prepend(pair);
  while (entries_.size() > kMaxEntries) entries_.removeLast();
}

void RecentModels::save(QSettings& settings) const {
  settings.beginWriteArray(QStringLiteral("models/recent"), static_cast<int>(entries_.size()));
  for (int i = 0; i < entries_.size(); ++i) {
    settings.setArrayIndex(i);
    settings.setValue(QStringLiteral("hybrid"), entries_[i].hybrid);
    settings.setValue(QStringLiteral("reference"), entries_[i].reference);
    settings.setValue(QStringLiteral("tokenizer"), entries_[i].tokenizer);
  }
  settings.endArray();
}

RecentModels RecentModels::load(QSettings& settings) {
  QList<ModelPair> stored;
  const int n = settings.beginReadArray(QStringLiteral("models/recent"));
  for (int i = 0; i < n; ++i) {
    settings.setArrayIndex(i);
    stored.append({settings.value(QStringLiteral("hybrid")).toString(), settings.value(QStringLiteral("reference")).toString(),
                   settings.value(QStringLiteral("tokenizer")).toString()});
  }
  settings.endArray();
  RecentModels recent;
  for (auto it = stored.crbegin(); it != stored.crend(); ++it) recent.add(*it);  // oldest first keeps the order
  return recent;
}

}  // namespace hl::ui
