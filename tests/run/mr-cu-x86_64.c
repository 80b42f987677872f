/*
 * mr-cu-x86_64.c - turn an x86_64 compact unwind encoding into DWARF call
 * frame instructions, for the FDEs the runner synthesizes from
 * __unwind_info (mr-eh-frame.c). The rules are those of Apple's libunwind
 * (CompactUnwinder_x86_64): RBP_FRAME (CFA = rbp + 16, up to five
 * registers saved at rbp - 8 * offset), STACK_IMMD and STACK_IND (CFA =
 * rsp + stack size, up to six registers pushed below the return address,
 * named by a permutation number). They describe the function body after
 * the prologue, which is all an exception unwind needs: it only stops at
 * call sites. DWARF mode and encoding 0 produce nothing.
 */
#include "mr.h"

#define MODE_MASK 0x0f000000u
#define MODE_RBP_FRAME 0x01000000u
#define MODE_STACK_IMMD 0x02000000u
#define MODE_STACK_IND 0x03000000u

const unsigned mr_cu_ra_reg = 16; /* DWARF number of the return address */

/* compact register numbers 1..6 -> DWARF: rbx, r12, r13, r14, r15, rbp */
static const uint8_t dwarf_reg[7] = { 0, 3, 12, 13, 14, 15, 6 };

static void decode_permutation(uint32_t perm, uint32_t count, int saved[6])
{
	int un[6] = { 0 };
	int used[7] = { 0 };

	switch (count) {
	case 6:
	case 5:
		un[0] = perm / 120; perm -= un[0] * 120;
		un[1] = perm / 24; perm -= un[1] * 24;
		un[2] = perm / 6; perm -= un[2] * 6;
		un[3] = perm / 2; perm -= un[3] * 2;
		un[4] = perm;
		break;
	case 4:
		un[0] = perm / 60; perm -= un[0] * 60;
		un[1] = perm / 12; perm -= un[1] * 12;
		un[2] = perm / 3; perm -= un[2] * 3;
		un[3] = perm;
		break;
	case 3:
		un[0] = perm / 20; perm -= un[0] * 20;
		un[1] = perm / 4; perm -= un[1] * 4;
		un[2] = perm;
		break;
	case 2:
		un[0] = perm / 5; perm -= un[0] * 5;
		un[1] = perm;
		break;
	case 1:
		un[0] = perm;
		break;
	}
	for (uint32_t i = 0; i < count; i++) {
		int renum = 0;
		saved[i] = 0;
		for (int u = 1; u < 7; u++) {
			if (used[u])
				continue;
			if (renum++ == un[i]) {
				saved[i] = u;
				used[u] = 1;
				break;
			}
		}
	}
}

int mr_cu_instructions(struct mr_image *img, const struct mr_cu_entry *e,
	struct mr_cfa *out)
{
	uint32_t enc = e->enc;

	switch (enc & MODE_MASK) {
	case MODE_RBP_FRAME: {
		uint32_t offset = (enc >> 16) & 0xff, regs = enc & 0x7fff;
		mr_cfa_def(out, 6, 16);
		mr_cfa_offset(out, 16, 1);
		mr_cfa_offset(out, 6, 2);
		for (uint32_t i = 0; i < 5; i++, regs >>= 3) {
			uint32_t r = regs & 7;
			if (!r)
				continue;
			if (r > 5 || 2 + offset <= i)
				return mr_cfa_bad(out, "bad RBP_FRAME registers");
			mr_cfa_offset(out, dwarf_reg[r], 2 + offset - i);
		}
		return 1;
	}
	case MODE_STACK_IMMD:
	case MODE_STACK_IND: {
		uint64_t size = ((enc >> 16) & 0xff) * 8ull;
		uint32_t count = (enc >> 10) & 7, perm = enc & 0x3ff;
		int saved[6];
		if ((enc & MODE_MASK) == MODE_STACK_IND) {
			/* the size is the immediate of the sub in the prologue */
			uint32_t imm;
			uint64_t at = e->start + ((enc >> 16) & 0xff);
			if (!mr_image_exec_addr(img, at) ||
			    !mr_image_exec_addr(img, at + 3))
				return mr_cfa_bad(out, "STACK_IND size outside the code");
			__builtin_memcpy(&imm, (const void *)(uintptr_t)at, 4);
			size = imm + ((enc >> 13) & 7) * 8ull;
		}
		if (count > 6 || size < 8 + 8ull * count)
			return mr_cfa_bad(out, "bad STACK register count");
		decode_permutation(perm, count, saved);
		mr_cfa_def(out, 7, size);
		mr_cfa_offset(out, 16, 1);
		for (uint32_t i = 0; i < count; i++) {
			if (!saved[i])
				return mr_cfa_bad(out, "bad STACK permutation");
			mr_cfa_offset(out, dwarf_reg[saved[i]], 1 + count - i);
		}
		return 1;
	}
	default:
		return 0; /* 0: none; DWARF (4): the FDE in __eh_frame */
	}
}
