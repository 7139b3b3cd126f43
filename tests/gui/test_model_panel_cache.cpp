// The model pickers find checkpoints in the Hugging Face cache that users already have (core/checkpoint/hf_cache.h):
// the HF button lists them with family and size, picking one fills in its repo id, and the row describes it as it
// describes a folder. The cache is a tree built in a temporary folder; nothing is downloaded.
#include <catch2/catch.hpp>

#include <QAction>
#include <QLineEdit>
#include <QMenu>
#include <QTemporaryDir>
#include <QToolButton>

#include "support/hf_cache_tree.h"
#include "ui/views/ModelPanel.h"

TEST_CASE("the model pickers list the Hugging Face cache and take a repo id", "[gui][model]") {
  QTemporaryDir tmp;
  REQUIRE(tmp.isValid());
  const std::filesystem::path cache = tmp.path().toStdString();
  hl::test::add_cached_repo(cache, "org", "tiny-llama", "0123456789abcdef0123456789abcdef01234567");
  qputenv("HF_HUB_CACHE", QByteArray::fromStdString(cache.string()));

  hl::ui::ModelPanel panel;
  const auto buttons = panel.findChildren<QToolButton*>(QStringLiteral("cachedModelsButton"));
  CHECK(buttons.size() == 2);  // the hybrid's row and the reference's; the tokenizer row has none
  REQUIRE(!buttons.isEmpty());
  QMenu* menu = buttons.front()->menu();
  REQUIRE(menu != nullptr);
  emit menu->aboutToShow();
  REQUIRE(menu->actions().size() == 1);
  QAction* pick = menu->actions().front();
  INFO(pick->text().toStdString());
  CHECK(pick->text().startsWith(QStringLiteral("org/tiny-llama · llama · ")));
  CHECK(pick->isEnabled());
  pick->trigger();
  CHECK(panel.hybridFolder() == QStringLiteral("org/tiny-llama"));

  const QString described = hl::ui::describeModelFolder(QStringLiteral("org/tiny-llama"), 128);
  INFO(described.toStdString());
  CHECK(described.startsWith(QStringLiteral("llama · ")));
  CHECK_FALSE(described.contains(QStringLiteral("no tokenizer.json")));
  CHECK(hl::ui::describeModelFolder(QStringLiteral("org/missing"), 128).startsWith(QStringLiteral("⚠")));

  // An empty cache says so instead of showing an empty menu.
  QTemporaryDir empty;
  qputenv("HF_HUB_CACHE", empty.path().toUtf8());
  emit menu->aboutToShow();
  REQUIRE(menu->actions().size() == 1);
  CHECK(menu->actions().front()->text().startsWith(QStringLiteral("No models in ")));
  CHECK_FALSE(menu->actions().front()->isEnabled());
  qunsetenv("HF_HUB_CACHE");
}
