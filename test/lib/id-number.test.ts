// The resident ID number check (GB 11643, ISO 7064 MOD 11-2): it accepts what it computes, and it
// refuses every number with one digit changed or two neighbouring digits swapped.
import fc from 'fast-check'
import t from 'tap'
import { idCheckCharacter, idNumberProblem } from '../../src/lib/id-number.js'

const first17 = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 17, maxLength: 17 }).map((ds) => ds.join(''))

t.test('published examples check out', async (t) => {
  // The example of the standard's annex: 11010519491231002X.
  t.equal(idNumberProblem('11010519491231002X'), null)
  t.equal(idNumberProblem('11010519491231002x'), null, 'a lower-case x is the same check character')
  t.equal(idCheckCharacter('11010519491231002'), 'X')
  t.equal(idNumberProblem('230202196512120318'), null)
  t.match(idNumberProblem('230202196512120319'), /check character/)
  t.equal(idNumberProblem('230202800315123'), null, 'first-generation numbers have no check character')
  t.match(idNumberProblem('2302021965121203'), /18-digit/)
  t.match(idNumberProblem('23020219651212031A'), /18-digit/)
})

t.test('every single changed digit is caught', async (t) => {
  fc.assert(
    fc.property(first17, fc.nat(16), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
      const valid = body + idCheckCharacter(body)
      const changed = valid.slice(0, at) + String((Number(valid[at]) + delta) % 10) + valid.slice(at + 1)
      return idNumberProblem(valid) === null && idNumberProblem(changed) !== null
    }),
  )
  t.pass('checked')
})

t.test('every swap of two different neighbouring digits is caught', async (t) => {
  fc.assert(
    fc.property(first17, fc.nat(15), (body, at) => {
      const valid = body + idCheckCharacter(body)
      fc.pre(valid[at] !== valid[at + 1])
      const swapped = valid.slice(0, at) + valid[at + 1] + valid[at] + valid.slice(at + 2)
      return idNumberProblem(swapped) !== null
    }),
  )
  t.pass('checked')
})
