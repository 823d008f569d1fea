// The few words the shell itself shows (tray, menus, dialogs) before or outside the renderer,
// which carries the real i18n. Officers' machines are zh-CN; English is for development.

export interface ShellStrings {
  showWindow: string;
  quit: string;
  trayTooltip: string;
  stationStoppedTitle: string;
  stationStoppedMessage: string;
  stationStoppedDetail: (exitCode: number) => string;
  restartStation: string;
}

const zhCN: ShellStrings = {
  showWindow: '显示窗口',
  quit: '退出',
  trayTooltip: 'evidock 采集站',
  stationStoppedTitle: 'evidock',
  stationStoppedMessage: '采集站服务意外停止。',
  stationStoppedDetail: (code) => `退出码 ${code}。请重新启动服务；如果反复出现，请联系管理员。`,
  restartStation: '重新启动服务',
};

const en: ShellStrings = {
  showWindow: 'Show window',
  quit: 'Quit',
  trayTooltip: 'evidock collection station',
  stationStoppedTitle: 'evidock',
  stationStoppedMessage: 'The station service stopped unexpectedly.',
  stationStoppedDetail: (code) =>
    `Exit code ${code}. Restart the service; if this keeps happening, contact your administrator.`,
  restartStation: 'Restart service',
};

export function shellStrings(locale: string): ShellStrings {
  return locale.toLowerCase().startsWith('zh') ? zhCN : en;
}
