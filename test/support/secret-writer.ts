// Child process for the secret-store concurrency test: writes its own names and rotates a
// shared "refresh token", as a poller and the app would in two processes on one data dir.
import { FileSecretStore } from '../../main/app/file-secret-store';

const [dir, id, count] = process.argv.slice(2) as [string, string, string];
const store = new FileSecretStore(dir);
for (let i = 0; i < Number(count); i++) {
  store.set(`p${id}.k${i}`, `${id}-${i}`);
  store.set('shared.refreshToken', `${id}-${i}`);
}
