import type { KeyObject } from 'node:crypto';
import { randomHex } from '../../util/random.js';
import { AccessTokens } from './access-tokens.js';

export interface Session {
  id: string;
  /** 0 for a guest (not logged in) session. */
  userId: number;
  /** The login form's token, bound to this session. */
  loginToken?: string;
  /** Where the login returns to (require_login remembered it). */
  wantsUrl?: string;
  /** The error the next login page shows. */
  loginError?: string;
  /** Launch state by launchid: "{courseid},{typeid},{cmid},{messagetype},{foruserid},," — single use. */
  launches: Map<string, string>;
  /** sesskey(): the key this session's forms and AJAX calls must carry. */
  sesskey: string;
}

export interface LineItem {
  id: number;
  label: string;
  scoreMaximum: number;
  resourceId: string;
  tag: string;
  /** The lti instance it is coupled to; undefined for a free-standing tool-created column. */
  ltiLinkId?: number;
  /** Created by the tool through the line item container (column management). */
  toolCreated: boolean;
}

/** A grade as the Moodle gradebook holds it after a score POST. */
export interface GradeEntry {
  itemId: number;
  userId: number;
  /** The raw grade on the item's scale, or null when the score cleared it. */
  grade: number | null;
  feedback: string | null;
  /** Seconds; null after a clearing score (so the next post is never refused). */
  timemodified: number | null;
  gradingProgress: string;
  activityProgress: string;
  timestamp: string;
}

/** A tool's request Moodle refused (token.php, or services.php's bare 401), said as the simulator saw it. */
export interface ServiceRefusal {
  at: number;
  endpoint: 'token' | 'services';
  status: number;
  /** One clause: what the tool did and what Moodle answered. */
  said: string;
}

export class PlatformState {
  readonly sessions = new Map<string, Session>();
  private readonly accessTokens: AccessTokens;
  /** How many access tokens token.php issued. */
  tokensIssued = 0;
  /** The tool's requests token.php or services.php refused, newest last (the last twenty). */
  readonly refusals: ServiceRefusal[] = [];
  readonly lineItems = new Map<number, LineItem>();
  readonly grades = new Map<string, GradeEntry>();
  /** token.php's cache of the tool keyset (cache mod_lti/keyset, keyed by client id). */
  cachedKeyset: unknown;
  private nextItemId = 1000;

  constructor(
    privateKey: KeyObject,
    private readonly clockOffsetSeconds = 0,
  ) {
    this.accessTokens = new AccessTokens(privateKey);
  }

  /** time() on this platform. */
  now(): number {
    return Math.floor(Date.now() / 1000) + this.clockOffsetSeconds;
  }

  newSession(userId: number): Session {
    const session = { id: randomHex(13), userId, launches: new Map<string, string>(), sesskey: randomHex(5) };
    this.sessions.set(session.id, session);
    return session;
  }

  issueToken(typeId: string, scopes: string[]): { token: string; expiresIn: number } {
    this.tokensIssued++;
    return { token: this.accessTokens.issue(typeId, scopes, this.now() + 3600), expiresIn: 3600 };
  }

  /** What a Bearer token grants, if this platform issued it for the type. */
  readToken(token: string, typeId: string) {
    return this.accessTokens.read(token, typeId);
  }

  refuse(refusal: ServiceRefusal): void {
    this.refusals.push(refusal);
    if (this.refusals.length > 20) this.refusals.shift();
  }

  createLineItem(fields: Omit<LineItem, 'id'>): LineItem {
    const item = { id: this.nextItemId++, ...fields };
    this.lineItems.set(item.id, item);
    return item;
  }

  grade(itemId: number, userId: number): GradeEntry | undefined {
    return this.grades.get(`${itemId}:${userId}`);
  }

  setGrade(entry: GradeEntry): void {
    this.grades.set(`${entry.itemId}:${entry.userId}`, entry);
  }

  gradebook(): GradeEntry[] {
    return [...this.grades.values()];
  }
}
