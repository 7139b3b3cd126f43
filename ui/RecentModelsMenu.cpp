#include "ui/RecentModelsMenu.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QSettings>

#include "core/util/demo_pair.h"

namespace hl::ui {

namespace {

bool isDemoPair(const ModelSet& set) {
  const auto demo = hl::find_demo_pair(QCoreApplication::applicationDirPath().toStdString());
  return demo && QFileInfo(set.hybrid) == QFileInfo(QString::fromStdString(demo->hybrid.string())) &&
         set.references.size() == 1 &&
         QFileInfo(set.references.front()) == QFileInfo(QString::fromStdString(demo->transformer.string()));
}

}  // namespace

RecentModelsMenu::RecentModelsMenu(Load load, QWidget* parent) : QMenu(tr("&Recent"), parent), load_(std::move(load)) {
  setObjectName(QStringLiteral("recentModelsMenu"));
  setToolTipsVisible(true);
  connect(this, &QMenu::aboutToShow, this, &RecentModelsMenu::rebuild);
  rebuild();
}

void RecentModelsMenu::setRecent(RecentModels recent) {
  recent_ = std::move(recent);
  rebuild();
}

void RecentModelsMenu::remember(const ModelSet& set) {
  if (set.hybrid.isEmpty() || set.references.isEmpty() || isDemoPair(set)) return;
  recent_.add(set);
  changed();
}

void RecentModelsMenu::changed() {
  rebuild();
  if (persistent_) {
    QSettings settings;
    recent_.save(settings);
  }
}

void RecentModelsMenu::rebuild() {
  clear();
  if (recent_.isEmpty()) {
    addAction(tr("(no models loaded yet)"))->setEnabled(false);
    return;
  }
  int number = 0;
  for (const ModelSet& set : recent_.entries()) {
    const bool exists = set.exists();
    QString text = QStringLiteral("&%1 %2").arg(++number).arg(set.label());
    if (!exists) text += tr(" (folder missing)");
    QAction* entry = addAction(text, this, [this, set] { load_(set); });
    QString paths = tr("hybrid: %1").arg(set.hybrid);
    for (const QString& reference : set.references) paths += tr("\nreference: %1").arg(reference);
    if (!set.tokenizer.isEmpty()) paths += tr("\ntokenizer: %1").arg(set.tokenizer);
    entry->setToolTip(paths);
    entry->setEnabled(exists);
  }
  addSeparator();
  addAction(tr("Clear list"), this, [this] {
    recent_ = {};
    // Queued: rebuilding deletes this very action, which is still delivering its signal.
    QMetaObject::invokeMethod(this, &RecentModelsMenu::changed, Qt::QueuedConnection);
  });
}

}  // namespace hl::ui
