// The one masking function for personal information in public responses (Regulations on Open
// Government Information art. 15; PIPL arts. 6, 28). Different masks of the same number on different
// pages could be combined to recover it, so every public response masks through `maskPersonal`,
// with one policy per region.

export const personalKinds = ['name', 'id_number', 'phone', 'address'] as const
export type PersonalKind = (typeof personalKinds)[number]

export interface MaskingPolicy {
  /** Characters of an ID number kept at the start and at the end (default 2 and 3: 23*************123). */
  idNumberKeep: { start: number; end: number }
  /** Characters of a phone number kept at the start and at the end (default 3 and 4: 138****1234). */
  phoneKeep: { start: number; end: number }
}

export const defaultMaskingPolicy: MaskingPolicy = {
  idNumberKeep: { start: 2, end: 3 },
  phoneKeep: { start: 3, end: 4 },
}

function keepEnds(value: string, start: number, end: number): string {
  const chars = [...value]
  if (chars.length <= start + end) return '*'.repeat(chars.length)
  return chars.slice(0, start).join('') + '*'.repeat(chars.length - start - end) + chars.slice(chars.length - end).join('')
}

// A name keeps its first and last character (张*明); a two-character name keeps the first (李*).
function maskName(value: string): string {
  const chars = [...value.trim()]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1]
}

// An address is cut after its township or subdistrict (…乡/镇/街道), or after its district (…区/县)
// when it names none; what follows (village, street, building, door number) is dropped.
function maskAddress(value: string): string {
  const township = /^(.*?(?:街道|镇|乡))/.exec(value)
  if (township) return township[1]!
  const district = /^(.*?(?:区|县))/.exec(value)
  return district ? district[1]! : ''
}

export function maskPersonal(kind: PersonalKind, value: string, policy: MaskingPolicy = defaultMaskingPolicy): string {
  switch (kind) {
    case 'name':
      return maskName(value)
    case 'id_number':
      return keepEnds(value.trim(), policy.idNumberKeep.start, policy.idNumberKeep.end)
    case 'phone': {
      const digits = value.replace(/[\s-]/g, '')
      return keepEnds(digits, policy.phoneKeep.start, policy.phoneKeep.end)
    }
    case 'address':
      return maskAddress(value)
  }
}

/** Patterns of unmasked personal data, for scanning public output in tests and monitoring. */
export const unmaskedPatterns = {
  idNumber: /(?<![0-9A-Za-z*])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/,
  mobile: /(?<!\d)1[3-9]\d{9}(?!\d)/,
}
