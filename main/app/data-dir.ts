// Where the ledger lives: --data-dir, then TAXPOYNT_POS_DATA_DIR, else the OS app-data folder
// (the same place Electron's app.getPath('userData') points to).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'taxpoynt-pos';

export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (flag) return flag;
  if (env.TAXPOYNT_POS_DATA_DIR) return env.TAXPOYNT_POS_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}

export function ledgerFile(dataDir: string): string {
  return join(dataDir, 'ledger.db');
}
