import net from 'node:net';
import { AmiError } from './errors.js';

type CreateConnection = typeof net.createConnection;

/**
 * Runs `connect` (asterisk-manager's connect, which calls net.createConnection synchronously) and returns
 * the socket it created. The package keeps that socket private and swallows its errors, yet a dead peer
 * can only be detected on it and a silent one only cut off by destroying it. The swap of
 * net.createConnection lasts for the synchronous call alone, so no other caller can observe it.
 */
export function captureManagerSocket(connect: () => void): net.Socket {
  const netModule = net as { createConnection: CreateConnection };
  const original = netModule.createConnection;
  let socket: net.Socket | undefined;
  netModule.createConnection = ((...args: Parameters<CreateConnection>) => (socket = original(...args))) as CreateConnection;
  try {
    connect();
  } finally {
    netModule.createConnection = original;
  }
  if (!socket) throw new AmiError('asterisk-manager opened no socket: its connect() no longer calls net.createConnection');
  return socket;
}
