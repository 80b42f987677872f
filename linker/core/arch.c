/*
 * arch.c - the list of architectures: their ops and relocation tables.
 */
#include <stddef.h>

#include "arch.h"

const struct arch_ops *arch_ops_for(enum link_arch arch)
{
	switch (arch) {
	case ARCH_X86_64:
		return &arch_x86_64;
	case ARCH_ARM64:
		return &arch_arm64;
	default:
		return NULL;
	}
}

const struct reloc_type_info *reloc_info(enum link_arch arch, uint8_t type)
{
	const struct arch_ops *ops = arch_ops_for(arch);
	if (!ops || type >= ops->nrelocs || !ops->relocs[type].name)
		return NULL;
	return &ops->relocs[type];
}
