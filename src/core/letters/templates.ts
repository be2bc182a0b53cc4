/**
 * Starter letter templates, in English and Spanish, from the seed SOPs' wording:
 *  - UK secondary ladder (seed 002): letter1 … letter4;
 *  - Illinois elementary (seed 004): probation-warning (5–9 unverified absences), probation
 *    (10+), five-day (the monthly 5-day letter; the SOP asks for Spanish too), medical (item 12:
 *    further absences to be excused by a doctor and/or school nurse);
 *  - generic notification (seed 001's sample email).
 * Wording is plain and supportive, and every letter invites the family to tell the school about
 * illness or other barriers (peers.md §2(b): parents resent threatening generic letters sent for
 * illness). Schools copy these into Docs and edit them; field names stay in English in every
 * language because they are the catalogue's names (fields.ts).
 * Wording that claims history ("We wrote to you recently", "since our last meeting") sits in
 * {{#if Earlier letter}} / {{#if Meeting held}} blocks with a first-contact wording in {{else}}
 * (conditions.ts), so a letter that jumps to Letter 3 never claims a meeting that did not happen.
 */
import { normaliseLanguage } from './render';

export interface StarterTemplate {
  letterId: string;
  language: string;
  /** Shown in Settings and in the plan. */
  name: string;
  /** Subject line of the covering email / title of the document. */
  subject: string;
  paragraphs: string[];
}

const ILLNESS_EN =
  'If {{Student name}} has been ill, or something else is making it hard to come to school, please tell us. We would much rather help, and we can record absence for illness correctly once we know about it.';
const ILLNESS_ES =
  'Si {{Student name}} ha estado enfermo/a, o hay otra dificultad que le impide venir a la escuela, por favor díganoslo. Preferimos ayudar, y podemos registrar bien las ausencias por enfermedad cuando las conocemos.';
const ILLNESS_US_EN =
  'If {{Student name}} has been sick, or something else is making it hard to come to school, please tell us. We would much rather help, and absences for illness can be excused once we have the note or call.';

const OPEN_EN = ['{{Date}}', 'Dear {{Parent/Guardian name}},'];
const OPEN_ES = ['{{Date}}', 'Estimado/a {{Parent/Guardian name}}:'];
const CLOSE_UK_EN = ['Yours sincerely,', '{{Staff name}}', '{{School name}}'];
const CLOSE_US_EN = ['Sincerely,', '{{Staff name}}', '{{School name}}'];
const CLOSE_ES = ['Atentamente,', '{{Staff name}}', '{{School name}}'];

export const STARTER_TEMPLATES: readonly StarterTemplate[] = [
  // ── UK secondary (seed 002) ────────────────────────────────────────────────────────────
  {
    letterId: 'letter1',
    language: 'en',
    name: 'Letter 1 – attendance concern',
    subject: "{{Student name}}'s attendance",
    paragraphs: [
      ...OPEN_EN,
      "We are writing because we are concerned about {{Student name}}'s attendance ({{Tutor group}}). Attendance this year is {{Attendance %}}.",
      'Good attendance helps every young person to learn, keep up with friends and feel part of school life. We know absence usually has a reason.',
      ILLNESS_EN,
      "For the next two weeks we will keep a closer eye on {{Student name}}'s attendance, and we will review it on {{Review date}}. We hope to see an improvement by then.",
      'Please contact me at school if you would like to talk about this.',
      ...CLOSE_UK_EN,
    ],
  },
  {
    letterId: 'letter1',
    language: 'es',
    name: 'Carta 1 – preocupación por la asistencia',
    subject: 'Asistencia de {{Student name}}',
    paragraphs: [
      ...OPEN_ES,
      'Le escribimos porque nos preocupa la asistencia de {{Student name}} ({{Tutor group}}). Su asistencia este curso es del {{Attendance %}}.',
      'Asistir con regularidad ayuda a cada joven a aprender, a estar con sus compañeros y a sentirse parte de la escuela. Sabemos que las ausencias suelen tener un motivo.',
      ILLNESS_ES,
      'Durante las próximas dos semanas seguiremos de cerca la asistencia de {{Student name}} y la revisaremos el {{Review date}}. Esperamos ver una mejora para entonces.',
      'Si desea hablar de ello, póngase en contacto conmigo en la escuela.',
      ...CLOSE_ES,
    ],
  },
  {
    letterId: 'letter2',
    language: 'en',
    name: 'Letter 2 – invitation to an Attendance Improvement Meeting (AIM 1)',
    subject: "Meeting about {{Student name}}'s attendance",
    paragraphs: [
      ...OPEN_EN,
      "{{#if Earlier letter}}We wrote to you recently about {{Student name}}'s attendance, which is now {{Attendance %}}.{{else}}We are writing because {{Student name}}'s attendance is now {{Attendance %}}, and we are concerned about it.{{/if}} We would like to invite you to an Attendance Improvement Meeting (AIM) with our attendance team, so that together we can agree how to support {{Student name}}.",
      'Please contact the school to arrange a time that suits you. If it is difficult for you to come in, tell us and we will find another way, such as a phone call.',
      'Please be aware that from now on further absence may not be authorised without evidence of the reason, such as an appointment card or a note from a doctor.',
      ILLNESS_EN,
      "We will review {{Student name}}'s attendance again on {{Review date}}.",
      ...CLOSE_UK_EN,
    ],
  },
  {
    letterId: 'letter2',
    language: 'es',
    name: 'Carta 2 – invitación a una reunión de mejora de la asistencia (AIM 1)',
    subject: 'Reunión sobre la asistencia de {{Student name}}',
    paragraphs: [
      ...OPEN_ES,
      '{{#if Earlier letter}}Hace poco le escribimos sobre la asistencia de {{Student name}}, que ahora es del {{Attendance %}}.{{else}}Le escribimos porque la asistencia de {{Student name}} es ahora del {{Attendance %}} y nos preocupa.{{/if}} Queremos invitarle a una reunión de mejora de la asistencia (AIM) con nuestro equipo de asistencia, para acordar juntos cómo apoyar a {{Student name}}.',
      'Por favor, póngase en contacto con la escuela para fijar una hora que le convenga. Si le resulta difícil venir, díganoslo y buscaremos otra forma, por ejemplo una llamada telefónica.',
      'Tenga en cuenta que, a partir de ahora, es posible que las nuevas ausencias no se justifiquen sin una prueba del motivo, como una cita médica o una nota del médico.',
      ILLNESS_ES,
      'Volveremos a revisar la asistencia de {{Student name}} el {{Review date}}.',
      ...CLOSE_ES,
    ],
  },
  {
    letterId: 'letter3',
    language: 'en',
    name: 'Letter 3 – persistent absence (AIM 2)',
    subject: "Meeting about {{Student name}}'s attendance (AIM 2)",
    paragraphs: [
      ...OPEN_EN,
      "{{Student name}}'s attendance is now {{Attendance %}}, which is below 90%. This is called persistent absence, and it is known to affect both learning and wellbeing.",
      'We would like to meet you {{#if Meeting held}}again, at a second Attendance Improvement Meeting (AIM 2) with our attendance team, to look at what has happened since our last meeting and agree the next steps.{{else}}at an Attendance Improvement Meeting (AIM 2) with our attendance team, to look at what is making it hard for {{Student name}} to come to school and agree the next steps together.{{/if}}',
      "If there is no genuine reason for the absences, the school may need to refer {{Student name}} to the Local Authority's Education and Inclusion Team, who work with families to improve attendance.",
      ILLNESS_EN,
      "Please contact the school to arrange the meeting. We will review {{Student name}}'s attendance on {{Review date}}.",
      ...CLOSE_UK_EN,
    ],
  },
  {
    letterId: 'letter3',
    language: 'es',
    name: 'Carta 3 – ausencia persistente (AIM 2)',
    subject: 'Reunión sobre la asistencia de {{Student name}} (AIM 2)',
    paragraphs: [
      ...OPEN_ES,
      'La asistencia de {{Student name}} es ahora del {{Attendance %}}, por debajo del 90 %. Esto se llama ausencia persistente, y se sabe que afecta tanto al aprendizaje como al bienestar.',
      'Queremos reunirnos {{#if Meeting held}}de nuevo con usted, en una segunda reunión de mejora de la asistencia (AIM 2) con nuestro equipo de asistencia, para ver qué ha pasado desde la última reunión y acordar los próximos pasos.{{else}}con usted en una reunión de mejora de la asistencia (AIM 2) con nuestro equipo de asistencia, para ver qué le impide a {{Student name}} venir a la escuela y acordar juntos los próximos pasos.{{/if}}',
      'Si no hay un motivo real para las ausencias, es posible que la escuela tenga que remitir el caso de {{Student name}} al equipo de Educación e Inclusión de la autoridad local, que trabaja con las familias para mejorar la asistencia.',
      ILLNESS_ES,
      'Por favor, póngase en contacto con la escuela para concertar la reunión. Revisaremos la asistencia de {{Student name}} el {{Review date}}.',
      ...CLOSE_ES,
    ],
  },
  {
    letterId: 'letter4',
    language: 'en',
    name: 'Letter 4 – warning: legal action may result',
    subject: "Important: {{Student name}}'s attendance",
    paragraphs: [
      ...OPEN_EN,
      "{{#if Earlier letter}}We have written to you about {{Student name}}'s attendance before. {{/if}}{{#if Meeting held}}We have also met with you about it. {{/if}}{{Student name}}'s attendance is now {{Attendance %}}, with {{Unauthorised sessions}} unauthorised sessions out of {{Possible sessions}}.",
      'We must let you know that if attendance does not improve straight away, the Local Authority may take legal action, which can include a penalty notice or prosecution. We do not want this to happen, and we still want to work with you.',
      ILLNESS_EN,
      'Please contact me before {{Review date}}, when we will review attendance again.',
      ...CLOSE_UK_EN,
    ],
  },
  {
    letterId: 'letter4',
    language: 'es',
    name: 'Carta 4 – advertencia: posibles acciones legales',
    subject: 'Importante: asistencia de {{Student name}}',
    paragraphs: [
      ...OPEN_ES,
      '{{#if Earlier letter}}Ya le hemos escrito antes sobre la asistencia de {{Student name}}. {{/if}}{{#if Meeting held}}También nos hemos reunido con usted. {{/if}}La asistencia de {{Student name}} es ahora del {{Attendance %}}, con {{Unauthorised sessions}} sesiones no justificadas de {{Possible sessions}}.',
      'Debemos informarle de que, si la asistencia no mejora de inmediato, la autoridad local puede emprender acciones legales, que pueden incluir una multa o un proceso judicial. No queremos que esto ocurra y seguimos queriendo trabajar con usted.',
      ILLNESS_ES,
      'Por favor, póngase en contacto conmigo antes del {{Review date}}, cuando volveremos a revisar la asistencia.',
      ...CLOSE_ES,
    ],
  },
  // ── Illinois elementary (seed 004) ─────────────────────────────────────────────────────
  {
    letterId: 'probation-warning',
    language: 'en',
    name: 'Attendance probation – warning (5–9 unverified absences)',
    subject: "{{Student name}}'s absences",
    paragraphs: [
      ...OPEN_EN,
      'Our records show that {{Student name}} has {{Unauthorised sessions}} absences this school year that have not been verified (we have no note or call explaining them).',
      'A student who reaches 10 unverified absences is placed on attendance probation. You can prevent this by calling the office or sending a note, such as a doctor’s note, for each absence.',
      ILLNESS_US_EN,
      'Thank you for helping {{Student name}} attend school every day.',
      ...CLOSE_US_EN,
    ],
  },
  {
    letterId: 'probation-warning',
    language: 'es',
    name: 'Período de prueba de asistencia – aviso (5–9 ausencias no verificadas)',
    subject: 'Ausencias de {{Student name}}',
    paragraphs: [
      ...OPEN_ES,
      'Nuestros registros muestran que {{Student name}} tiene {{Unauthorised sessions}} ausencias este año escolar que no han sido verificadas (no tenemos una nota o llamada que las explique).',
      'Un estudiante que llega a 10 ausencias no verificadas pasa a un período de prueba de asistencia. Puede evitarlo llamando a la oficina o enviando una nota, por ejemplo del médico, por cada ausencia.',
      ILLNESS_ES,
      'Gracias por ayudar a {{Student name}} a venir a la escuela todos los días.',
      ...CLOSE_ES,
    ],
  },
  {
    letterId: 'probation',
    language: 'en',
    name: 'Attendance probation (10 or more unverified absences)',
    subject: "{{Student name}}'s attendance probation",
    paragraphs: [
      ...OPEN_EN,
      '{{Student name}} now has {{Unauthorised sessions}} unverified absences this school year and is on attendance probation.',
      'While on probation, further absences need a note or call with the reason to be excused. Unverified absences beyond 10 days may be treated as unexcused, and a truancy interventionist from the Regional Office of Education may contact you to offer support.',
      ILLNESS_US_EN,
      'Please call the office if you have any questions. We are here to help {{Student name}} succeed.',
      ...CLOSE_US_EN,
    ],
  },
  {
    letterId: 'probation',
    language: 'es',
    name: 'Período de prueba de asistencia (10 o más ausencias no verificadas)',
    subject: 'Período de prueba de asistencia de {{Student name}}',
    paragraphs: [
      ...OPEN_ES,
      '{{Student name}} tiene ahora {{Unauthorised sessions}} ausencias no verificadas este año escolar y está en período de prueba de asistencia.',
      'Durante el período de prueba, las nuevas ausencias necesitan una nota o llamada con el motivo para ser justificadas. Las ausencias no verificadas de más de 10 días pueden considerarse injustificadas, y un especialista en absentismo de la Oficina Regional de Educación puede ponerse en contacto con usted para ofrecerle apoyo.',
      ILLNESS_ES,
      'Llame a la oficina si tiene cualquier pregunta. Estamos aquí para ayudar a {{Student name}} a tener éxito.',
      ...CLOSE_ES,
    ],
  },
  {
    letterId: 'five-day',
    language: 'en',
    name: '5-day absence letter',
    subject: "{{Student name}}'s absences",
    paragraphs: [
      ...OPEN_EN,
      '{{Student name}} has been absent from school on these dates: {{Absence dates}}.',
      'Illinois law (105 ILCS 5/26) asks families to make sure children attend school regularly, and every day in class matters for learning to read, write and count.',
      ILLNESS_US_EN,
      'Please call the office if we can help in any way.',
      ...CLOSE_US_EN,
    ],
  },
  {
    letterId: 'five-day',
    language: 'es',
    name: 'Carta de 5 días de ausencia',
    subject: 'Ausencias de {{Student name}}',
    paragraphs: [
      ...OPEN_ES,
      '{{Student name}} ha faltado a la escuela en estas fechas: {{Absence dates}}.',
      'La ley de Illinois (105 ILCS 5/26) pide a las familias que se aseguren de que sus hijos asistan a la escuela con regularidad, y cada día en clase es importante para aprender a leer, escribir y contar.',
      ILLNESS_ES,
      'Llame a la oficina si podemos ayudarle de alguna manera.',
      ...CLOSE_ES,
    ],
  },
  // Seed 004 item 12: "a medical letter requiring all further absences to be excused by a doctor
  // and/or school nurse" (Medical Letter from the Regional Attendance Cooperative).
  {
    letterId: 'medical',
    language: 'en',
    name: 'Medical letter (further absences excused by a doctor or school nurse)',
    subject: "{{Student name}}'s absences: a doctor's or school nurse's note is now needed",
    paragraphs: [
      ...OPEN_EN,
      "{{#if Earlier letter}}We have written to you about {{Student name}}'s attendance, and it has not improved: it is now {{Attendance %}}.{{else}}We are writing about {{Student name}}'s attendance, which is now {{Attendance %}}.{{/if}}",
      'From now on, all further absences must be excused by a doctor and/or the school nurse. For each day {{Student name}} misses, please send a note from the doctor, or ask the school nurse to see {{Student name}}. An absence without one will be recorded as unexcused.',
      'If {{Student name}} has a health condition that makes coming to school hard, please tell us: the school team can plan support with you and with the doctor.',
      'We will review attendance again on {{Review date}}. Please call the office with any questions.',
      ...CLOSE_US_EN,
    ],
  },
  {
    letterId: 'medical',
    language: 'es',
    name: 'Carta médica (las ausencias deben ser justificadas por un médico o la enfermera escolar)',
    subject: 'Ausencias de {{Student name}}: ahora se necesita una nota del médico o de la enfermera escolar',
    paragraphs: [
      ...OPEN_ES,
      '{{#if Earlier letter}}Le hemos escrito sobre la asistencia de {{Student name}}, y no ha mejorado: ahora es del {{Attendance %}}.{{else}}Le escribimos sobre la asistencia de {{Student name}}, que ahora es del {{Attendance %}}.{{/if}}',
      'A partir de ahora, todas las nuevas ausencias deben ser justificadas por un médico y/o la enfermera escolar. Por cada día que {{Student name}} falte, envíe una nota del médico o pida a la enfermera escolar que vea a {{Student name}}. Una ausencia sin ella se registrará como injustificada.',
      'Si {{Student name}} tiene un problema de salud que le dificulta venir a la escuela, díganoslo: el equipo escolar puede planificar apoyo con usted y con el médico.',
      'Volveremos a revisar la asistencia el {{Review date}}. Llame a la oficina si tiene cualquier pregunta.',
      ...CLOSE_ES,
    ],
  },
  // ── Generic notification (seed 001 sample email) ──────────────────────────────────────
  {
    letterId: 'notification',
    language: 'en',
    name: 'Attendance concern notification',
    subject: 'Attendance Concern for {{Student name}}',
    paragraphs: [
      'Dear {{Parent/Guardian name}},',
      'We have noticed that {{Student name}} has been absent on the following date(s): {{Absence dates}}.',
      "Regular attendance is critical to student success. Please contact us as soon as possible to discuss any challenges and ways we can support {{Student name}}'s attendance.",
      ILLNESS_EN,
      'Thank you,',
      '{{Staff name}}',
      '{{School name}}',
    ],
  },
  {
    letterId: 'notification',
    language: 'es',
    name: 'Aviso de preocupación por la asistencia',
    subject: 'Preocupación por la asistencia de {{Student name}}',
    paragraphs: [
      'Estimado/a {{Parent/Guardian name}}:',
      'Hemos notado que {{Student name}} ha faltado en la(s) siguiente(s) fecha(s): {{Absence dates}}.',
      'La asistencia regular es fundamental para el éxito escolar. Por favor, póngase en contacto con nosotros lo antes posible para hablar de cualquier dificultad y de cómo podemos apoyar la asistencia de {{Student name}}.',
      ILLNESS_ES,
      'Gracias,',
      '{{Staff name}}',
      '{{School name}}',
    ],
  },
];

export const STARTER_LETTER_IDS: readonly string[] = [...new Set(STARTER_TEMPLATES.map((t) => t.letterId))];

/** The starter template for a letter in a language ('es-MX' → 'es'), or null when there is none. */
export function starterTemplate(letterId: string, language: string): StarterTemplate | null {
  const lang = normaliseLanguage(language);
  const t = STARTER_TEMPLATES.find((x) => x.letterId === letterId && x.language === lang);
  return t ? { ...t, paragraphs: [...t.paragraphs] } : null;
}

export interface TemplateChoice<T> {
  template: T;
  /** The language of the chosen template. */
  language: string;
  /** True when the family's language has no template and English is used instead (shown in the plan). */
  fellBack: boolean;
}

/**
 * The template for a letter in the family's language, else the English one with fellBack: true,
 * else null (no template at all for this letter: the plan reports it).
 */
export function templateFor<T extends { letterId: string; language: string }>(
  letterId: string,
  language: string,
  available: readonly T[],
): TemplateChoice<T> | null {
  const lang = normaliseLanguage(language);
  const find = (l: string) => available.find((t) => t.letterId === letterId && normaliseLanguage(t.language) === l);
  const own = find(lang);
  if (own) return { template: own, language: lang, fellBack: false };
  const en = find('en');
  if (en) return { template: en, language: 'en', fellBack: true };
  return null;
}
