// A sentence naming a phone number ("有问题请打电话：010-6500 5678"), the number moving to the next line
// whole (styles.css .phone-number): "010-6500" and "5678" on two lines (or "010-" and "6500 5678")
// read as two numbers; only a number wider than the whole line still breaks. PhoneLink is
// that sentence as a tel: link and a 64 px target like every other (an inline link one line high
// was 28 px in Help).
import type { MessageKey } from '../i18n/index.ts';
import { t } from '../i18n/index.ts';

const MARK = '\u0000';

/** The digits to dial: what a tel: link needs. */
export const dialDigits = (phone: string) => phone.replace(/[^\d+]/g, '');
/** The number as the voice reads it, digit by digit. */
export const spokenDigits = (phone: string) => phone.replace(/\D/g, '');

export function PhoneWords(props: { message: MessageKey; phone: string }) {
  const parts = () => t(props.message, { phone: MARK }).split(MARK);
  return (
    <span>
      {parts()[0]}
      <span class="phone-number">{props.phone}</span>
      {parts()[1] ?? ''}
    </span>
  );
}

export function PhoneLink(props: { message: MessageKey; phone: string }) {
  return (
    <a class="link phone-link" href={`tel:${dialDigits(props.phone)}`}>
      <PhoneWords message={props.message} phone={props.phone} />
    </a>
  );
}
