/**
 * The parts of asterisk-manager 0.2.0 (CommonJS, untyped) that src/ami/asteriskManager.ts uses, as its
 * lib/ami.js really behaves: keys arrive lower-cased, responses reach the callback of `action()`.
 */
declare module 'asterisk-manager' {
  namespace Manager {
    /** A response or event as the package parses it (see AmiMessage in src/ami/message.ts). */
    type Message = { [key: string]: string | string[] | Record<string, string> | undefined };

    /** A field of an action: arrays are joined with ',', objects become one `Key: name=value` line each. */
    type ActionValue = string | number | boolean | readonly string[] | Readonly<Record<string, string>> | undefined;

    type Action = { action: string; actionid?: string; [field: string]: ActionValue };

    /** `error` is the response itself when it says `Response: Error`, never an Error instance. */
    type ResponseCallback = (error: Message | undefined, response: Message) => void;

    interface Instance {
      /** Opens the socket only; `callback` runs once it connects (never when it fails). */
      connect(port: number, host: string, callback?: () => void): void;
      /** Sends Login with the constructor's username and password; `error` is the refusing response. */
      login(callback: (error?: Message) => void): void;
      /** Sends an action (held until login, forever, when not logged in) and returns its ActionID. */
      action(action: Action, callback?: ResponseCallback): string;
      /** Ends the socket gracefully (no destroy) and forgets it. */
      disconnect(callback?: () => void): void;
      isConnected(): boolean;
      on(event: 'managerevent', listener: (event: Message & { event: string }) => void): void;
      on(event: 'asterisk', listener: (message: Message) => void): void;
      on(event: 'error', listener: (error: Error) => void): void;
      removeAllListeners(event?: string): void;
    }
  }

  /** Connects and logs in at once when given a port (never reporting a refused login): pass none. */
  function Manager(
    port: number | undefined,
    host: string,
    username: string,
    password: string,
    events: boolean,
  ): Manager.Instance;

  export = Manager;
}
