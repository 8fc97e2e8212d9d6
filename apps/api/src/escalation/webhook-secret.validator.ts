import { ValidateBy, ValidationArguments } from 'class-validator';
import { parseWebhookSecret } from '@helpdesk/webhooks';

/** A `whsec_<base64>` secret of 24–64 bytes; the message says what is wrong with it. */
export const IsWebhookSecret = (): PropertyDecorator =>
  ValidateBy({
    name: 'isWebhookSecret',
    validator: {
      validate: (value: unknown) => 'key' in parseWebhookSecret(value),
      defaultMessage: (args?: ValidationArguments) => {
        const parsed = parseWebhookSecret(args?.value);
        return `${args?.property} ${'problem' in parsed ? parsed.problem : 'is not a webhook secret'}`;
      },
    },
  });
