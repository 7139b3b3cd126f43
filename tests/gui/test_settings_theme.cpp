// Preferences and themes: the recent-models list (pure logic and its settings array), Models → Recent in the window,
// settings carried into a fresh window, the dark theme reaching the custom-painted views while exports stay white,
// and the menu shortcuts. QSettings here write to this test process's own folder (tests/support/qt_catch_main.cpp).
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QHash>
#include <QImage>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QTemporaryDir>
#include <catch2/catch.hpp>
#include <qcustomplot.h>

#include "ui/views/CategoryChart.h"
#include "ui/MainWindow.h"
#include "ui/RecentModels.h"
#include "ui/ScoringController.h"
#include "ui/views/StateNormView.h"
#include "ui/Theme.h"
#include "ui/models/TokenDeltaModel.h"
#include "ui/views/TokenDeltaView.h"
#include "window_test_support.h"

using hl::test::fixtureModel;
using hl::test::outputPath;
using hl::test::tinyTokenizer;
using hl::ui::ModelSet;
using hl::ui::RecentModels;
using hl::ui::Theme;

namespace {

ModelSet pair(int i) {
  return {QStringLiteral("/m/hybrid%1").arg(i), {QStringLiteral("/m/reference%1").arg(i)}, QString()};
}

// The colour that covers most of a region of an image (the background, wherever text and marks are sparse).
QColor dominantColour(const QImage& image, const QRect& region) {
  QHash<QRgb, int> counts;
  const QRect r = region.intersected(image.rect());
  for (int y = r.top(); y <= r.bottom(); y += 2)
    for (int x = r.left(); x <= r.right(); x += 2) ++counts[image.pixel(x, y)];
  QRgb best = 0;
  int most = -1;
  for (auto it = counts.cbegin(); it != counts.cend(); ++it)
    if (it.value() > most) {
      most = it.value();
      best = it.key();
    }
  return QColor::fromRgb(best);
}

// The part of a child widget that shows (plots scroll inside their docks), in window coordinates.
QRect rectIn(const QWidget* window, const QWidget* child) {
  const QRect visible = child->visibleRegion().boundingRect();
  const QRect r = visible.isEmpty() ? child->rect() : visible;
  return QRect(child->mapTo(window, r.topLeft()), r.size());
}

// Every action under a menu, submenus included.
QList<QAction*> menuActions(const QMenu* menu) {
  QList<QAction*> all;
  for (QAction* a : menu->actions()) {
    all << a;
    if (a->menu()) all << menuActions(a->menu());
  }
  return all;
}

QAction* actionNamed(const QMainWindow& w, const QString& name) { return w.findChild<QAction*>(name); }

void clearSettings() {
  QSettings settings;
  settings.clear();
  settings.sync();
}

// Themes are application-wide: every test that switches one goes back to the platform's look when it ends.
struct ThemeReset {
  ~ThemeReset() { hl::ui::applyTheme(Theme::System); }
};

}  // namespace

TEST_CASE("recent models: newest first, no duplicates, at most 8", "[gui][settings]") {
  RecentModels recent;
  CHECK(recent.isEmpty());
  for (int i = 0; i < 10; ++i) recent.add(pair(i));
  REQUIRE(recent.entries().size() == RecentModels::kMaxEntries);
  CHECK(recent.entries().front() == pair(9));
  CHECK(recent.entries().back() == pair(2));  // 0 and 1 fell off the end

  recent.add(pair(5));  // already listed: moves to the top, the list keeps its length
  CHECK(recent.entries().size() == RecentModels::kMaxEntries);
  CHECK(recent.entries().front() == pair(5));
  CHECK(recent.entries().count(pair(5)) == 1);
  CHECK(recent.entries()[1] == pair(9));

  // The same folders spelt differently are one entry.
  recent.add({QStringLiteral("/m/hybrid7/"), {QStringLiteral(" /m//reference7")}, QString()});
  CHECK(recent.entries().front() == pair(7));
  CHECK(recent.entries().count(pair(7)) == 1);
  // A different tokenizer makes a different entry; a pair without both folders is not a pair.
  ModelSet withTokenizer = pair(7);
  withTokenizer.tokenizer = QStringLiteral("/t/tokenizer.json");
  recent.add(withTokenizer);
  CHECK(recent.entries().front() == withTokenizer);
  CHECK(recent.entries().count(pair(7)) == 1);
  const auto before = recent.entries();
  recent.add({QStringLiteral("/m/hybrid1"), {}, QString()});
  recent.add({QStringLiteral("/m/hybrid1"), {QString()}, QString()});
  CHECK(recent.entries() == before);
  CHECK(pair(1).label() == QStringLiteral("hybrid1 vs reference1"));
  // Several references: their order matters (the first is the one Δ starts with).
  const ModelSet three{QStringLiteral("/m/h"), {QStringLiteral("/m/a"), QStringLiteral("/m/b")}, QString()};
  const ModelSet swapped{QStringLiteral("/m/h"), {QStringLiteral("/m/b"), QStringLiteral("/m/a")}, QString()};
  recent.add(three);
  recent.add(swapped);
  CHECK(recent.entries()[0] == swapped);
  CHECK(recent.entries()[1] == three);
  CHECK(three.label() == QStringLiteral("h vs a, b"));
}

TEST_CASE("recent models: the settings array round-trips and is cleaned when read", "[gui][settings]") {
  const QString file = outputPath(QStringLiteral("recent_models_test.ini"));
  QFile::remove(file);
  {
    RecentModels recent;
    recent.add({QStringLiteral("/m/h"), {QStringLiteral("/m/a b"), QStringLiteral("/m/c,d")}, QString()});
    for (int i = 0; i < 3; ++i) recent.add(pair(i));
    QSettings settings(file, QSettings::IniFormat);
    recent.save(settings);
  }
  {
    QSettings settings(file, QSettings::IniFormat);
    const RecentModels back = RecentModels::load(settings);
    REQUIRE(back.entries().size() == 4);
    CHECK(back.entries().front() == pair(2));
    CHECK(back.entries()[2] == pair(0));
    CHECK(back.entries().back().references == QStringList({QStringLiteral("/m/a b"), QStringLiteral("/m/c,d")}));
  }
  {  // a hand-edited file: a duplicate and more entries than the cap
    QSettings settings(file, QSettings::IniFormat);
    settings.beginWriteArray(QStringLiteral("models/recent"), 11);
    for (int i = 0; i < 11; ++i) {
      settings.setArrayIndex(i);
      const ModelSet p = pair(i == 3 ? 0 : i);  // written as an older build did: one "reference" per entry
      settings.setValue(QStringLiteral("hybrid"), p.hybrid);
      settings.setValue(QStringLiteral("reference"), p.references.front());
    }
    settings.endArray();
  }
  QSettings settings(file, QSettings::IniFormat);
  const RecentModels back = RecentModels::load(settings);
  REQUIRE(back.entries().size() == RecentModels::kMaxEntries);
  CHECK(back.entries().front() == pair(0));
  CHECK(back.entries().count(pair(0)) == 1);
  CHECK(back.entries()[1] == pair(1));
}

TEST_CASE("main window: a loaded pair is listed under Models → Recent and reloads from it", "[gui][settings]") {
  clearSettings();
  hl::ui::MainWindow w;
  REQUIRE(w.recentMenu() != nullptr);
  CHECK(w.recentMenu()->actions().size() == 1);  // "(no models loaded yet)"
  CHECK_FALSE(w.recentMenu()->actions().front()->isEnabled());

  QString error = hl::test::loadAndScore(w, "olmo_hybrid", "llama");
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  error = hl::test::loadAndScore(w, "bamba", "llama");
  REQUIRE(error.isEmpty());

  REQUIRE(w.recentModels().entries().size() == 2);
  CHECK(w.recentModels().entries().front().hybrid == QDir::cleanPath(fixtureModel("bamba")));
  CHECK(w.recentModels().entries().front().tokenizer == QDir::cleanPath(tinyTokenizer()));
  QList<QAction*> entries;
  for (QAction* a : w.recentMenu()->actions())
    if (!a->isSeparator() && a->text().contains(QStringLiteral(" vs "))) entries << a;
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]->text().contains(QStringLiteral("bamba vs llama")));
  CHECK(entries[1]->text().contains(QStringLiteral("olmo_hybrid vs llama")));
  CHECK(entries[1]->isEnabled());

  entries[1]->trigger();  // load the older pair again from the menu
  auto* c = w.controller();
  REQUIRE(hl::test::waitUntil([&] {
    return !c->busy() && QDir::cleanPath(c->loadedFolders().hybrid) == QDir::cleanPath(fixtureModel("olmo_hybrid")) &&
           c->report() != nullptr;
  }));
  CHECK(QDir::cleanPath(c->loadedFolders().references.value(0)) == QDir::cleanPath(fixtureModel("llama")));
  QCoreApplication::processEvents();
  CHECK(w.recentModels().entries().front().hybrid == QDir::cleanPath(fixtureModel("olmo_hybrid")));
  CHECK(w.recentModels().entries().size() == 2);
  clearSettings();
}

TEST_CASE("settings: colour range, theme and recent pairs carry into a fresh window", "[gui][settings]") {
  ThemeReset reset;
  clearSettings();
  const QTemporaryDir gone;  // a pair whose folders disappear is listed but disabled
  REQUIRE(QDir(gone.path()).mkpath(QStringLiteral("h")));
  REQUIRE(QDir(gone.path()).mkpath(QStringLiteral("r")));
  const ModelSet missing{gone.filePath(QStringLiteral("h")), {gone.filePath(QStringLiteral("r"))}, QString()};
  const ModelSet present{fixtureModel("olmo_hybrid"), {fixtureModel("llama")}, tinyTokenizer()};
  {
    QSettings settings;
    RecentModels recent;
    recent.add(missing);
    recent.add(present);
    recent.save(settings);
  }
  {
    hl::ui::MainWindow first;
    first.restoreSettings();  // main() does this for an interactive window; tests opt in
    REQUIRE(first.recentModels().entries().size() == 2);
    first.setColourLimit(3.5);
    first.setTheme(Theme::Dark);
    first.saveSettings();
  }
  hl::ui::applyTheme(Theme::System);
  QDir(gone.path()).removeRecursively();

  hl::ui::MainWindow fresh;
  CHECK(fresh.tokenModel()->colourLimit() != Approx(3.5));  // not read without restoreSettings()
  CHECK_FALSE(fresh.remembersSettings());
  CHECK(hl::ui::currentTheme() == Theme::System);
  fresh.restoreSettings();
  CHECK(fresh.tokenModel()->colourLimit() == Approx(3.5));
  CHECK(fresh.findChild<QDoubleSpinBox*>(QStringLiteral("colourRange"))->value() == Approx(3.5));
  CHECK(hl::ui::currentTheme() == Theme::Dark);
  CHECK(hl::ui::isDark(QApplication::palette()));
  REQUIRE(actionNamed(fresh, QStringLiteral("theme_dark")) != nullptr);
  CHECK(actionNamed(fresh, QStringLiteral("theme_dark"))->isChecked());
  CHECK_FALSE(actionNamed(fresh, QStringLiteral("theme_system"))->isChecked());

  REQUIRE(fresh.recentModels().entries().size() == 2);
  QList<QAction*> entries;
  for (QAction* a : fresh.recentMenu()->actions())
    if (a->text().contains(QStringLiteral(" vs "))) entries << a;
  REQUIRE(entries.size() == 2);
  CHECK(entries[0]->isEnabled());
  CHECK_FALSE(entries[1]->isEnabled());  // its folders were removed
  CHECK(entries[1]->text().contains(QStringLiteral("missing")));
  clearSettings();
}

TEST_CASE("dark theme: the views follow the palette, exports stay white", "[gui][settings][theme]") {
  ThemeReset reset;
  hl::ui::MainWindow w;
  const QString error = hl::test::loadAndScore(w, "olmo_hybrid", "llama", {1400, 900});
  INFO(error.toStdString());
  REQUIRE(error.isEmpty());
  hl::ui::SlideOptions options;
  options.width = 700;
  options.callout = 3;
  const QString lightSlide = outputPath(QStringLiteral("slide_light_theme.png"));
  QString exportError;
  REQUIRE(w.exportSlide(lightSlide, options, &exportError));

  actionNamed(w, QStringLiteral("theme_dark"))->trigger();
  QCoreApplication::processEvents();
  REQUIRE(hl::ui::currentTheme() == Theme::Dark);
  const QImage shot = w.grab().toImage();
  REQUIRE(shot.save(outputPath(QStringLiteral("main_window_dark.png"))));

  auto checkDark = [&](const QWidget* area, const char* what) {
    const QColor background = dominantColour(shot, rectIn(&w, area));
    INFO(what << ": " << background.name().toStdString());
    CHECK(background.lightness() < 80);
  };
  checkDark(w.tokenView()->viewport(), "token view");
  checkDark(w.categoryChart()->plot(), "category chart");
  checkDark(w.stateNormView()->plot(), "state norms");
  checkDark(w.textEditor()->viewport(), "editor");
  // The plots' axis labels are light on the dark background.
  CHECK(w.stateNormView()->plot()->xAxis->tickLabelColor().lightness() > 160);
  CHECK(w.categoryChart()->plot()->yAxis->tickLabelColor().lightness() > 160);
  QCustomPlot* norms = w.stateNormView()->plot();
  for (QCPLayoutElement* element : norms->plotLayout()->elements(true))
    if (auto* scale = qobject_cast<QCPColorScale*>(element)) CHECK(scale->axis()->tickLabelColor().lightness() > 160);
  REQUIRE(norms->graphCount() > 1);
  CHECK(norms->graph(norms->graphCount() - 1)->pen().color().lightness() > 160);  // the heads' mean

  // The slide is for projectors: white in every theme, pixel for pixel the same as in the light theme.
  const QString darkSlide = outputPath(QStringLiteral("slide_dark_theme.png"));
  REQUIRE(w.exportSlide(darkSlide, options, &exportError));
  const QImage dark(darkSlide), light(lightSlide);
  REQUIRE(!dark.isNull());
  CHECK(dominantColour(dark, dark.rect()) == QColor(Qt::white));
  CHECK(QColor(dark.pixel(1, 1)) == QColor(Qt::white));
  CHECK(QColor(dark.pixel(dark.width() - 2, dark.height() - 2)) == QColor(Qt::white));
  CHECK(dark == light);
  // The token view's own PNG export too.
  const QString tokens = outputPath(QStringLiteral("token_view_dark_theme.png"));
  REQUIRE(w.exportTokenView(tokens, &exportError));
  const QImage tokenImage(tokens);
  CHECK(dominantColour(tokenImage, tokenImage.rect()) == QColor(Qt::white));

  // Back to the platform's look: the view is light again.
  actionNamed(w, QStringLiteral("theme_system"))->trigger();
  QCoreApplication::processEvents();
  const QImage again = w.grab().toImage();
  CHECK(dominantColour(again, rectIn(&w, w.tokenView()->viewport())).lightness() > 200);
}

TEST_CASE("menus: the common actions have shortcuts, and none is taken twice", "[gui][settings]") {
  hl::ui::MainWindow w;
  QHash<QString, QString> byShortcut;  // shortcut → action text
  QStringList withShortcut;
  for (QAction* menu : w.menuBar()->actions())
    for (QAction* a : menuActions(menu->menu())) {
      if (a->shortcut().isEmpty()) continue;
      const QString key = a->shortcut().toString(QKeySequence::PortableText);
      INFO(key.toStdString() << ": " << a->text().toStdString() << " and " << byShortcut.value(key).toStdString());
      CHECK_FALSE(byShortcut.contains(key));
      byShortcut.insert(key, a->text());
    }
  for (const char* key : {"Ctrl+O", "Ctrl+Shift+O", "Ctrl+S", "Ctrl+Shift+E", "Ctrl+Shift+D", "Ctrl+L", "Ctrl+Q"}) {
    INFO(key);
    CHECK(byShortcut.contains(QString::fromLatin1(key)));
  }
  CHECK(actionNamed(w, QStringLiteral("loadModelsAction"))->shortcut() == QKeySequence(QStringLiteral("Ctrl+L")));
}
