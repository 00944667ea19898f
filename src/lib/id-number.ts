// Resident identity card numbers (公民身份号码, GB 11643-1999): 17 digits and a check character
// (ISO 7064 MOD 11-2), or the 15-digit numbers of first-generation cards, which have none. The
// check catches a mistyped digit and an 18-digit number a spreadsheet stored as a float (its last
// digits become zeros).

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checkCharacters = '10X98765432'

/** The check character the first 17 digits call for. */
export function idCheckCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!
  return checkCharacters[sum % 11]!
}

/** Why `value` is not a resident ID number, or null when it is one. */
export function idNumberProblem(value: string): string | null {
  if (/^[0-9]{15}$/.test(value)) return null
  if (!/^[0-9]{17}[0-9Xx]$/.test(value)) return 'must be an 18-digit resident ID number'
  const expected = idCheckCharacter(value)
  return value[17]!.toUpperCase() === expected ? null : 'is not a valid resident ID number: its check character does not match (a mistyped digit?)'
}
