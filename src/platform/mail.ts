import nodemailer from 'nodemailer';
import type { Config } from '../config.js';

export type Mail = { to: string; subject: string; text: string };
export type Mailer = { send(mail: Mail): Promise<void>; readonly sent: Mail[] };

/**
 * With SMTP_URL set, mail goes out over SMTP. Without it (development), the
 * message, including any one-time link, is written to the log instead, so a
 * developer can follow password-reset and invitation links.
 */
export function createMailer(config: Config, log: (msg: string) => void = (m) => console.log(m)): Mailer {
  const sent: Mail[] = [];
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport(config.smtpUrl);
    return {
      sent,
      async send(mail) {
        await transport.sendMail({ from: config.mailFrom, to: mail.to, subject: mail.subject, text: mail.text });
      },
    };
  }
  return {
    sent,
    async send(mail) {
      // Kept in memory too so tests can follow the links.
      sent.push(mail);
      if (sent.length > 100) sent.shift();
      if (config.env !== 'test') log(`[mail] To: ${mail.to}\n[mail] Subject: ${mail.subject}\n${mail.text}\n`);
    },
  };
}
