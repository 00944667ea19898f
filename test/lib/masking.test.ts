// The one masking function and the patterns of unmasked personal data (lib/masking.ts).
import t from 'tap'
import { findUnmasked, maskPersonal, personalFieldOf } from '../../src/lib/masking.js'

t.test('an address keeps only its leading administrative units, never a road or a door number', async (t) => {
  const cases: [string, string][] = [
    ['龙沙区民航路12号3单元501室（原乡镇企业局家属楼）', '龙沙区'],
    ['龙沙区五龙街道新政社区3号楼2单元101', '龙沙区五龙街道'],
    ['黑龙江省齐齐哈尔市龙沙区湖滨街道明月社区8号', '黑龙江省齐齐哈尔市龙沙区湖滨街道'],
    ['讷河市兴旺乡永丰村5组', '讷河市兴旺乡'],
    ['龙沙区市场街5号', '龙沙区'],
    ['龙沙区新乡路3号', '龙沙区'],
    ['龙沙区 五龙 街道 12号', '龙沙区五龙街道'],
    ['民航路12号', ''],
    ['12号楼', ''],
  ]
  for (const [address, masked] of cases) t.equal(maskPersonal('address', address), masked, address)
})

t.test('names, ID numbers, phones and e-mail addresses are masked by the one policy', async (t) => {
  t.equal(maskPersonal('name', '张三明'), '张*明')
  t.equal(maskPersonal('id_number', '230202198003151238'), '23*************238')
  t.equal(maskPersonal('phone', '138-1234-5678'), '138****5678')
  t.equal(maskPersonal('email', 'zhang.san@example.com'), 'z********@example.com')
  t.equal(findUnmasked(maskPersonal('email', 'zhang.san@example.com')), null, 'a masked e-mail address is no longer one')
})

t.test('unmasked ID numbers, mobiles, landlines and e-mail addresses are found in any text', async (t) => {
  t.match(findUnmasked('身份证 230202199001011234 号'), { kind: 'idNumber' })
  t.match(findUnmasked('电话13812345678'), { kind: 'mobile' })
  t.match(findUnmasked('座机 0452-2712345'), { kind: 'landline' })
  t.match(findUnmasked('write to zq@example.com'), { kind: 'email' })
  for (const clean of ['23*************123', '138****5678', '2025-09-18', '金额 420.00 元', '编号 LS-PIA-2025-031', 'z*@example.com']) t.equal(findUnmasked(clean), null, clean)
  // Digits inside an identifier are not a number: UUID groups and hashes (a random id tripped the guard).
  for (const id of ['"id":"0b6f3c52-1d2e-4c1a-9f0e-a13812345678"', '"id":"0b6f3c52-1d2e-4c1a-9f0e-13812345678f"', 'etag "e04521234567b"', '"id":"3c52aa10-1d2e-4c1a-9f0e-045223456789"']) t.equal(findUnmasked(id), null, id)
})

t.test('a column whose key or label names a personal field is recognised', async (t) => {
  t.equal(personalFieldOf('身份证号码'), 'id_number')
  t.equal(personalFieldOf('证件号'), 'id_number')
  t.equal(personalFieldOf('联系电话'), 'phone')
  t.equal(personalFieldOf('手机'), 'phone')
  t.equal(personalFieldOf('联系方式'), 'phone')
  t.equal(personalFieldOf('家庭住址'), 'address')
  t.equal(personalFieldOf('姓名'), 'name')
  t.equal(personalFieldOf('户主'), 'name')
  t.equal(personalFieldOf('邮箱'), 'email')
  t.equal(personalFieldOf('E-mail'), 'email')
  t.equal(personalFieldOf('id_number'), 'id_number')
  t.equal(personalFieldOf('phone'), 'phone')
  for (const other of ['家庭人口', '月补贴金额', '项目名称', 'household_size', 'item_name', '备注']) t.equal(personalFieldOf(other), null, other)
})
