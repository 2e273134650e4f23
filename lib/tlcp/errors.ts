import { AlertDescription, AlertLevel, alertName, type AlertDescriptionName } from './constants.ts';

/**
 * The only error a TLCP parser or state machine raises for bad peer input: it names the alert to send
 * (level, description) and a human reason. Never carries secret material.
 */
export class TlcpAlertError extends Error {
  readonly level: number;
  readonly description: number;
  readonly reason: string;
  /** true when the alert was received from the peer rather than raised locally */
  readonly received: boolean;

  constructor(level: number, description: number, reason: string, received = false) {
    super(`${received ? 'received' : 'sent'} ${level === AlertLevel.fatal ? 'fatal' : 'warning'} alert ${alertName(description)}(${description}): ${reason}`);
    this.name = 'TlcpAlertError';
    this.level = level;
    this.description = description;
    this.reason = reason;
    this.received = received;
  }

  get descriptionName(): string {
    return alertName(this.description);
  }
}

export function fatal(description: AlertDescriptionName, reason: string): TlcpAlertError {
  return new TlcpAlertError(AlertLevel.fatal, AlertDescription[description], reason);
}
