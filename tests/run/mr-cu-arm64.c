/*
 * mr-cu-arm64.c - turn an arm64 compact unwind encoding into DWARF call
 * frame instructions, for the FDEs the runner synthesizes from
 * __unwind_info (mr-eh-frame.c). The rules are those of Apple's libunwind
 * (CompactUnwinder_arm64): FRAME (CFA = x29 + 16, lr and fp saved at
 * CFA - 8 and CFA - 16, then the flagged pairs x19/x20 .. x27/x28 and
 * d8/d9 .. d14/d15 below them, in that order) and FRAMELESS (CFA = sp +
 * 16 * size, lr still in x30). They describe the function body after the
 * prologue, which is all an exception unwind needs. DWARF mode and
 * encoding 0 produce nothing.
 */
#include "mr.h"

#define MODE_MASK 0x0f000000u
#define MODE_FRAMELESS 0x02000000u
#define MODE_FRAME 0x04000000u

const unsigned mr_cu_ra_reg = 30; /* DWARF number of the return address */

int mr_cu_instructions(struct mr_image *img, const struct mr_cu_entry *e,
	struct mr_cfa *out)
{
	uint32_t enc = e->enc;

	(void)img;
	switch (enc & MODE_MASK) {
	case MODE_FRAME: {
		uint64_t slot = 3; /* CFA - 24, in units of 8 */
		mr_cfa_def(out, 29, 16);
		mr_cfa_offset(out, 30, 1);
		mr_cfa_offset(out, 29, 2);
		for (unsigned pair = 0; pair < 5; pair++) /* x19/x20 .. x27/x28 */
			if (enc & (1u << pair)) {
				mr_cfa_offset(out, 19 + 2 * pair, slot++);
				mr_cfa_offset(out, 20 + 2 * pair, slot++);
			}
		for (unsigned pair = 0; pair < 4; pair++) /* d8/d9 .. d14/d15 */
			if (enc & (0x100u << pair)) {
				mr_cfa_offset(out, 72 + 2 * pair, slot++);
				mr_cfa_offset(out, 73 + 2 * pair, slot++);
			}
		return 1;
	}
	case MODE_FRAMELESS:
		mr_cfa_def(out, 31, ((enc >> 12) & 0xfff) * 16ull);
		return 1;
	default:
		return 0; /* 0: none; DWARF (3): the FDE in __eh_frame */
	}
}
