/* errors.cpp - the hierarchy's key functions. */
#include "errors.h"

AppError::~AppError() noexcept {}
const char *AppError::what() const noexcept { return "application error"; }
const char *AppError::kind() const { return "app"; }
const char *IoError::what() const noexcept { return "i/o error"; }
const char *ParseError::what() const noexcept { return "parse error"; }
const char *ParseError::kind() const { return "parse"; }
const char *FatalParse::what() const noexcept { return "fatal parse error"; }
const char *Timeout::what() const noexcept { return "timeout"; }
Retryable::~Retryable() {}
