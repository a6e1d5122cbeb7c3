/**
 * Revocations, logouts, disabled users and role changes are announced here, so that every API process ends
 * the open connections (graphql-ws sockets, SSE streams) of the credential at once.
 */
export const CREDENTIALS_TOPIC = 'auth.credentials';
export type CredentialsTopic = typeof CREDENTIALS_TOPIC;
