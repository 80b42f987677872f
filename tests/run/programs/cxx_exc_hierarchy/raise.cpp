/* raise.cpp - throws each class of the hierarchy. */
#include "errors.h"

void raise(int which)
{
	switch (which) {
	case 0: throw AppError(1);
	case 1: throw IoError(2);
	case 2: throw ParseError(3, 14);
	case 3: throw FatalParse(4, 15);
	case 4: throw Timeout(5);
	case 5: throw Plain();
	}
}
