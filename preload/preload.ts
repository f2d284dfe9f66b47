// The Electron preload (sandboxed, context-isolated): exposes window.taxpoynt and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('taxpoynt', createBridge(ipcRenderer));
