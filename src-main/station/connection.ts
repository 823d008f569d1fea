import {
  clientMessageSchema,
  type EventName,
  type ResponseMessage,
  type StationMessage,
} from '../contract';
import type { Dispatcher } from './dispatcher';
import type { EventHub } from './event-hub';

/** The contract methods whose successful answer is a new session for this connection. */
const SESSION_OPENERS = new Set(['auth.login', 'setup.createAdmin']);

export interface Connection {
  /** Handles one serialized request; answers through `send`. */
  receive(text: string): Promise<void>;
  close(): void;
}

/**
 * One client on any transport. Requests go through the dispatcher; pushed events go only to a
 * client whose current session may see them, checked at each event, so a logout or an expiry
 * stops the flow at once.
 */
export function openConnection(
  station: { dispatcher: Dispatcher; hub: EventHub },
  send: (text: string) => void,
): Connection {
  let session: string | undefined;
  /** Requests still being answered, by id: a cancel message aborts one. */
  const inFlight = new Map<number, AbortController>();
  /** Aborted when this connection closes: a playback issued to its page ends with it. */
  const page = new AbortController();
  const post = (message: StationMessage): void => send(JSON.stringify(message));

  const unsubscribe = station.hub.subscribe({
    viewer: () => station.dispatcher.peekCaller(session)?.user ?? null,
    deliver(name: EventName, payload: unknown): void {
      post({ type: 'event', name, payload });
    },
  });

  return {
    async receive(text: string): Promise<void> {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        // Answered: the client hears what was wrong with its message.
        post(badRequest(0, 'The message is not JSON.'));
        return;
      }
      const parsed = clientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        const id = (raw as { id?: unknown } | null)?.id;
        post(badRequest(typeof id === 'number' ? id : 0, 'The message is not a valid request.'));
        return;
      }
      if (parsed.data.type === 'cancel') {
        inFlight.get(parsed.data.id)?.abort();
        return;
      }
      const request = parsed.data;
      if (inFlight.has(request.id)) {
        // Its answer would be taken for the first one's, and a cancel could not tell them apart.
        post(
          badRequest(request.id, `Request ${request.id} is still in flight on this connection.`),
        );
        return;
      }
      if (request.session) session = request.session;
      const controller = new AbortController();
      inFlight.set(request.id, controller);
      let result;
      try {
        result = await station.dispatcher.dispatch({
          ...request,
          signal: controller.signal,
          page: page.signal,
        });
      } finally {
        inFlight.delete(request.id);
      }
      if (result.ok && SESSION_OPENERS.has(request.method)) {
        session = (result.value as { token: string }).token;
      }
      if (request.method === 'auth.logout' && result.ok) session = undefined;
      post({ type: 'response', id: request.id, result });
    },
    close(): void {
      // Nobody is left to hear the answers.
      for (const controller of inFlight.values()) controller.abort();
      inFlight.clear();
      page.abort();
      unsubscribe();
    },
  };
}

function badRequest(id: number, message: string): ResponseMessage {
  return { type: 'response', id, result: { ok: false, error: { code: 'BAD_REQUEST', message } } };
}
