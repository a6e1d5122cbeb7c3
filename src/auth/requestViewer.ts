import type { IncomingMessage } from 'node:http';
import type { PrismaClient } from '../generated/prisma/client.js';
import { AuthenticationError } from '../errors.js';
import type { Viewer } from './roles.js';
import { authenticate, bearerSecret } from './authenticate.js';

/**
 * Who sent a plain HTTP request (not GraphQL): its `Authorization: Bearer <token>` resolved like GraphQL's.
 * Throws AuthenticationError when no token was sent or it is not valid.
 */
export async function requestViewer(prisma: PrismaClient, request: IncomingMessage): Promise<Viewer> {
  const secret = bearerSecret(request.headers.authorization);
  if (!secret) throw new AuthenticationError('Authentication required: send "Authorization: Bearer <token>"');
  return authenticate(prisma, secret);
}
