#include "ui/RecentModels.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <algorithm>

namespace hl::ui {

namespace {

QString cleaned(const QString& path) { return path.trimmed().isEmpty() ? QString() : QDir::cleanPath(path.trimmed()); }

}  // namespace

bool ModelSet::exists() const {
  return QFileInfo(hybrid).isDir() && !references.isEmpty() &&
         std::all_of(references.begin(), references.end(), [](const QString& r) { return QFileInfo(r).isDir(); }) &&
         (tokenizer.isEmpty() || QFileInfo::exists(tokenizer));
}

QString ModelSet::label() const {
  QStringList names;
  for (const QString& r : references) names << QFileInfo(r).fileName();
  return QStringLiteral("%1 vs %2").arg(QFileInfo(hybrid).fileName(), names.join(QStringLiteral(", ")));
}

void RecentModels::add(ModelSet set) {
  QStringList references;
  for (const QString& r : set.references)
    if (const QString c = cleaned(r); !c.isEmpty()) references << c;
  set = {cleaned(set.hybrid), references, cleaned(set.tokenizer)};
  if (set.hybrid.isEmpty() || set.references.isEmpty()) return;
  entries_.removeAll(set);
  entries_.prepend(set);
  while (entries_.size() > kMaxEntries) entries_.removeLast();
}

void RecentModels::save(QSettings& settings) const {
  settings.beginWriteArray(QStringLiteral("models/recent"), static_cast<int>(entries_.size()));
  for (int i = 0; i < entries_.size(); ++i) {
    settings.setArrayIndex(i);
    settings.setValue(QStringLiteral("hybrid"), entries_[i].hybrid);
    settings.setValue(QStringLiteral("references"), entries_[i].references);
    settings.setValue(QStringLiteral("reference"), entries_[i].references.front());  // what an older build reads
    settings.setValue(QStringLiteral("tokenizer"), entries_[i].tokenizer);
  }
  settings.endArray();
}

RecentModels RecentModels::load(QSettings& settings) {
  QList<ModelSet> stored;
  const int n = settings.beginReadArray(QStringLiteral("models/recent"));
  for (int i = 0; i < n; ++i) {
    settings.setArrayIndex(i);
    // An older build writes only "reference" and leaves a list from a newer one behind: when they disagree, the
    // entry is the older build's.
    const QString single = settings.value(QStringLiteral("reference")).toString();
    QStringList references = settings.value(QStringLiteral("references")).toStringList();
    if (references.isEmpty() || (!single.isEmpty() && references.front() != single)) references = {single};
    stored.append({settings.value(QStringLiteral("hybrid")).toString(), references,
                   settings.value(QStringLiteral("tokenizer")).toString()});
  }
  settings.endArray();
  RecentModels recent;
  for (auto it = stored.crbegin(); it != stored.crend(); ++it) recent.add(*it);  // oldest first keeps the order
  return recent;
}

}  // namespace hl::ui
