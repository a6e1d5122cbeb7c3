import { field, type AmiMessage } from './message.js';

/** Everything the AMI layer rejects with, so callers can catch the family at once. */
export class AmiError extends Error {
  override name = 'AmiError';
}

/** An action, or a configuration value, that must not be sent as given. */
export class AmiInvalidActionError extends AmiError {
  override name = 'AmiInvalidActionError';
  constructor(
    message: string,
    /** The field at fault, as the caller spelled it (`Variable.NAME` for one variable). */
    readonly field: string,
  ) {
    super(message);
  }
}

/** A CR, LF or NUL in a field name or value: it would end the AMI line and smuggle in other headers or actions. */
export class AmiInjectionError extends AmiInvalidActionError {
  override name = 'AmiInjectionError';
  constructor(field: string, character: string) {
    super(`AMI field ${field} contains ${character}, which would inject AMI headers or actions: refused`, field);
  }
}

/** The action was not sent: the connection is down (or reconnecting). Nothing is queued. */
export class AmiNotConnectedError extends AmiError {
  override name = 'AmiNotConnectedError';
  constructor(
    readonly server: string,
    readonly action: string,
  ) {
    super(`AMI ${action} not sent: not connected to ${server}`);
  }
}

/** The connection dropped (or was closed) while the action waited for its answer. */
export class AmiConnectionLostError extends AmiError {
  override name = 'AmiConnectionLostError';
  constructor(
    readonly server: string,
    readonly action: string,
  ) {
    super(`AMI ${action} unanswered: the connection to ${server} was lost`);
  }
}

/** No (complete) answer within the action's time limit. */
export class AmiTimeoutError extends AmiError {
  override name = 'AmiTimeoutError';
  constructor(
    readonly server: string,
    readonly action: string,
    readonly timeoutMs: number,
  ) {
    super(`AMI ${action} timed out after ${timeoutMs} ms on ${server}`);
  }
}

/** Asterisk answered `Response: Error`; `message` is Asterisk's own Message. */
export class AmiActionError extends AmiError {
  override name = 'AmiActionError';
  /** Asterisk's reason, as it wrote it. */
  readonly asteriskMessage: string;
  constructor(
    readonly server: string,
    readonly action: string,
    readonly response: AmiMessage,
  ) {
    const asteriskMessage = field(response, 'message');
    super(`AMI ${action} failed on ${server}: ${asteriskMessage || 'no message'}`);
    this.asteriskMessage = asteriskMessage;
  }
}

/** Asterisk answered something this layer cannot use as asked (e.g. a listAction answered without a list). */
export class AmiProtocolError extends AmiError {
  override name = 'AmiProtocolError';
}

/** The PBX refused the username or secret. */
export class AmiAuthenticationError extends AmiError {
  override name = 'AmiAuthenticationError';
  constructor(
    readonly server: string,
    readonly username: string,
    readonly asteriskMessage: string,
  ) {
    super(`AMI login as ${username} refused by ${server}: ${asteriskMessage || 'no message'}`);
  }
}

/** The connection was closed by its owner; it will not reconnect. */
export class AmiClosedError extends AmiError {
  override name = 'AmiClosedError';
  constructor(readonly server: string) {
    super(`AMI connection to ${server} is closed`);
  }
}

/** An AMI server configuration (AMI_URL or a PbxServer row) that cannot be used; never echoes the secret. */
export class AmiConfigError extends AmiError {
  override name = 'AmiConfigError';
}
