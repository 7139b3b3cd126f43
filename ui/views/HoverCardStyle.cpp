#include "ui/views/HoverCardStyle.h"

namespace hl::ui {

int HoverCardStyle::styleHint(StyleHint hint, const QStyleOption* option, const QWidget* widget,
                              QStyleHintReturn* returnData) const {
  if (hint == SH_ToolTip_WakeUpDelay) return kWakeUpMs;
  return QProxyStyle::styleHint(hint, option, widget, returnData);
}

}  // namespace hl::ui
