#pragma once
// The style of the token view's viewport: the platform's, except that a unit's card (its tooltip) wakes up after
// kWakeUpMs instead of Qt's 700 ms, since reading the cards is how the view is explored. Only the viewport gets it:
// it paints itself, so nothing else of its look depends on the style.
#include <QProxyStyle>

namespace hl::ui {

class HoverCardStyle : public QProxyStyle {
 public:
  static constexpr int kWakeUpMs = 250;
  using QProxyStyle::QProxyStyle;

  int styleHint(StyleHint hint, const QStyleOption* option = nullptr, const QWidget* widget = nullptr,
                QStyleHintReturn* returnData = nullptr) const override;
};

}  // namespace hl::ui
