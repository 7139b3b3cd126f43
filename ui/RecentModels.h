#pragma once
// The recently loaded model sets (a hybrid and its references), most recent first: what the Models → Recent menu lists and the settings keep.
// Pure list logic (add, de-duplicate, cap) plus reading and writing it to a QSettings group, so it can be tested
// without a display.
#include <QList>
#include <QString>
#include <QStringList>

class QSettings;

namespace hl::ui {

struct ModelSet {
  QString hybrid;
  QStringList references;  // in order; the first is the one Δ starts with
  QString tokenizer;       // may be empty

  bool operator==(const ModelSet&) const = default;
  // Whether every model folder (and the tokenizer, when set) is still there; a set whose folders were moved or
  // deleted is listed but cannot be loaded.
  bool exists() const;
  // "hybrid vs reference, other reference" by folder name, for the menu.
  QString label() const;
};

class RecentModels {
 public:
  static constexpr int kMaxEntries = 8;

  // Puts the set first; an equal entry (same paths after cleaning, e.g. a trailing slash) moves up instead of
  // appearing twice; the oldest entries beyond kMaxEntries are dropped. Sets without a hybrid and a reference are
  // ignored.
  void add(ModelSet set);
  const QList<ModelSet>& entries() const { return entries_; }
  bool isEmpty() const { return entries_.empty(); }

  // The list under settings' "models/recent" array; load() applies the same rules as add(), so a hand-edited or
  // older settings file cannot bring back duplicates or more than kMaxEntries. Entries an older build wrote (one
  // "reference" each) read as sets of one reference.
  void save(QSettings& settings) const;
  static RecentModels load(QSettings& settings);

 private:
  QList<ModelSet> entries_;
};

}  // namespace hl::ui
