#!/usr/bin/env python3
"""options-coverage.py - measure linkfs-ld against ld64.lld's option list.

    options-coverage.py SOURCE LINKFS_LD > docs/options.md
    options-coverage.py --check docs/options.md SOURCE LINKFS_LD
    options-coverage.py --extract Options.td [--keep tools/ld64-options.txt]

SOURCE is either LLVM's lld/MachO/Options.td or our names list
(tools/ld64-options.txt, see its header). Every option it defines is run
through LINKFS_LD once, with a trivial x86_64 object (made here, byte by
byte) and whatever argument the option needs, in a temporary directory:

  - the link succeeds: the option is accepted. The script cannot tell an
    option that does something from one that is accepted and ignored, so
    IMPLEMENTED and IGNORED below (kept by hand from parse_args() in
    linker/cli/main.c) say which; an accepted option in neither list is
    an error, and so is a listed option that is not accepted;
  - "unknown option '-x'": unknown;
  - any other error: refused, with linkfs-ld's message as the note.

Without --check the coverage document is written on stdout. With --check,
the statuses in the given document must equal what the binary does now
(exit 1 naming each difference), so the document stays true.

--extract turns an Options.td into the names-list format (names, kinds,
groups, lld's status; descriptions are kept from --keep, never copied from
Options.td).
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile

# What linkfs-ld implements, with a short note (parse_args() in
# linker/cli/main.c; docs/usage.md has the details).
IMPLEMENTED = {
    '--help': 'prints the options and exits (also `-help`)',
    '--version': 'prints the version and exits',
    '--threads=': 'worker threads; the output is the same for any number',
    '-o': 'output path (default `a.out`); written atomically',
    '-arch': '`x86_64` and `arm64`',
    '-platform_version': 'every platform ld64 names, or its number',
    '-macosx_version_min': 'the minimum macOS version (and SDK)',
    '-macos_version_min': 'as `-macosx_version_min` (lld\'s spelling)',
    '-export_dynamic': 'exported symbols are dead-strip roots',
    '-e': 'entry point (default `_main`)',
    '-l': 'TBD then archive, in `-L` directories then `SYSLIBROOT/usr/lib`; '
          '`-lSystem`, `-lc++`, `-lc++abi` fall back to shipped stubs',
    '-L': 'joined and separate forms',
    '-F': 'joined and separate forms',
    '-syslibroot': 'prefix of the default search paths',
    '-framework': '`NAME.framework/NAME.tbd`, then the binary',
    '-weak_framework': '`LC_LOAD_WEAK_DYLIB`, weak imports',
    '-needed_framework': 'as `-framework`; kept by `-dead_strip_dylibs`',
    '-weak-l': '`LC_LOAD_WEAK_DYLIB`, weak imports',
    '-weak_library': '`LC_LOAD_WEAK_DYLIB`, weak imports',
    '-needed-l': 'as `-l`; kept by `-dead_strip_dylibs`',
    '-needed_library': 'as a plain path; kept by `-dead_strip_dylibs`',
    '-lazy-l': 'linked as `-l`, with ld64\'s deprecation warning '
               '(ld64.lld 19 drops the library)',
    '-lazy_library': 'linked as a plain path, with ld64\'s deprecation warning',
    '-all_load': 'every member of every archive',
    '-ObjC': 'the members with Objective-C classes or categories',
    '-force_load': 'every member of one archive',
    '-filelist': '`FILE[,DIR]`, read as ld64.lld reads it',
    '-dead_strip': 'removes unreachable code and data',
    '-dead_strip_dylibs': 'drops the dylibs no live import comes from '
                          '(not `-needed` ones)',
    '-order_file': 'code and data atoms, `[ARCH:][OBJECT:]SYMBOL` lines',
    '-exported_symbol': 'patterns with `*`, `?`, `[...]`',
    '-exported_symbols_list': 'patterns, one a line',
    '-unexported_symbol': 'patterns with `*`, `?`, `[...]`',
    '-unexported_symbols_list': 'patterns, one a line',
    '-u': 'the symbol must be defined (loads archive members)',
    '-U': 'the symbol may stay undefined (dynamic lookup)',
    '-undefined': '`error` and `dynamic_lookup`; `warning` and `suppress` '
                  'are refused',
    '-rpath': 'one `LC_RPATH` each, in order',
    '-map': 'a link map',
    '-S': 'no debug map',
    '-x': 'no local symbols',
    '-v': 'the version on stderr, then the link',
    '-print_statistics': 'each stage\'s time and peak RSS on stderr '
                         '(ld64.lld 19 does not implement it)',
    '-stack_size': '`LC_MAIN`\'s stack size, hex, a multiple of 16 KiB '
                   '(ld64.lld 19 does not implement it)',
    '-headerpad': 'at least SIZE (hex) free bytes after the load commands',
    '-headerpad_max_install_names': '1024 bytes per dylib load command, as '
                                    'ld64.lld',
    '-adhoc_codesign': 'ad hoc signature (default for arm64)',
    '-no_adhoc_codesign': 'no signature (default for x86_64)',
    '-fixup_chains': 'chained fixups',
    '-no_fixup_chains': 'dyld opcodes',
    '-t': 'each input as it is loaded, on stdout, as ld64.lld',
    '-why_live': 'under `-dead_strip`, the chain that kept each matching '
                 'symbol, as ld64.lld',
    '--start-lib': 'the objects up to `--end-lib` load as archive members',
    '--end-lib': 'ends `--start-lib`',
    '-sectcreate': 'a section of the file\'s bytes, kept by `-dead_strip`',
    '-segcreate': 'as `-sectcreate`',
    '-rename_section': 'renames an input section',
    '-rename_segment': 'renames a segment\'s output sections (not `__TEXT`)',
    '-segprot': 'letters or hex; max equal to init, not `__LINKEDIT`, as '
                'ld64.lld (nor `__PAGEZERO`)',
    '-dylib': 'an `MH_DYLIB`: `LC_ID_DYLIB`, exports are roots, no `__PAGEZERO`',
    '-bundle': 'an `MH_BUNDLE`',
    '-install_name': 'the dylib\'s `LC_ID_DYLIB` name (default: the output\'s)',
    '-dylib_install_name': 'as `-install_name`',
    '-dylinker_install_name': 'as `-install_name`',
    '-current_version': 'the dylib\'s current version',
    '-dylib_current_version': 'as `-current_version`',
    '-compatibility_version': 'the dylib\'s compatibility version',
    '-dylib_compatibility_version': 'as `-compatibility_version`',
    '-mark_dead_strippable_dylib': '`MH_DEAD_STRIPPABLE_DYLIB` (with `-dylib`)',
    '-bundle_loader': 'the executable\'s exports, bound with ordinal -1',
    '-reexport-l': '`LC_REEXPORT_DYLIB` (with `-dylib`)',
    '-reexport_library': '`LC_REEXPORT_DYLIB` (with `-dylib`)',
    '-reexport_framework': '`LC_REEXPORT_DYLIB` (with `-dylib`)',
    '-pagezero_size': 'an executable\'s `__PAGEZERO` size; 0: none',
    '-lto_library': 'the libLTO that compiles bitcode inputs (default: llvm-19\'s)',
    '-object_path_lto': 'where the object LTO makes is written',
}

# Accepted with no effect, and why.
IGNORED = {
    '--icf=': 'no identical code is folded: `none` is what every link does; '
              '`safe`, `safe_thunks`, `all` link the same output with a warning',
    '-execute': 'the default: an executable',
    '-dynamic': 'already the behaviour: a dynamically linked output',
    '-pie': 'already the behaviour: the output is position-independent',
    '-noall_load': 'the default',
    '-search_paths_first': 'the default search order (CMake passes it)',
    '-application_extension': 'the limits are on dylib flags linkfs-ld '
                              'does not read',
    '-no_application_extension': 'the default',
    '-no_deduplicate': 'nothing to turn off: linkfs-ld folds no identical code',
    '-demangle': 'messages name symbols as the objects spell them',
    '-mllvm': 'an option of LTO\'s code generator: not passed on (LLVM\'s '
              'parser exits on an option it does not know)',
}

# Options clang or CMake pass that linkfs-ld does not take, and when
# (checked with clang 19's -### and CMake 3.25's Platform/Darwin.cmake).
PASSED_BY = {
    '-search_paths_first': 'CMake passes `-Wl,-search_paths_first` with every '
                           'macOS link when CMAKE_SYSTEM_VERSION is Darwin 7 '
                           'or later (Platform/Darwin.cmake), so with every '
                           'native macOS build',
    '-dylib': 'clang passes it for `-dynamiclib` and `-shared` (every CMake '
              'SHARED library)',
    '-dylib_install_name': 'clang passes it for `-install_name` (CMake\'s '
                           'shared libraries)',
    '-dylib_compatibility_version': 'clang passes it for '
                                    '`-compatibility_version` (CMake\'s '
                                    'SOVERSION)',
    '-dylib_current_version': 'clang passes it for `-current_version` '
                              '(CMake\'s VERSION)',
    '-bundle': 'clang passes it for `-bundle` (CMake\'s MODULE libraries)',
    '-bundle_loader': 'CMake passes `-Wl,-bundle_loader,EXE` for a MODULE '
                      'linked against an executable',
    '-sectalign': 'clang passes it for `-fprofile-instr-generate`',
    '-application_extension': 'clang passes it for `-fapplication-extension`',
    '-static': 'clang passes it for `-static`',
    '-export_dynamic': 'clang passes it for `-rdynamic` once '
                       '`-mlinker-version` names ld64 137 or later',
}

# Other notes on options linkfs-ld does not take.
NOTES = {
    '-macos_version_min': 'lld\'s own name; linkfs-ld takes only the alias '
                          '`-macosx_version_min`, which clang passes',
}

# linkfs-ld's own options, not in ld64.lld's list.
OWN = {
    '--dump=': ('bind', 'prints one of the dyld tables on stdout'),
    '-ld_classic': (None, 'accepted, no effect: Xcode 15\'s ld picks its '
                    'implementation with it'),
    '-ld_new': (None, 'accepted, no effect (as `-ld_classic`)'),
    '-ld64': (None, 'accepted, no effect (as `-ld_classic`)'),
}

GROUP_TITLES = {
    'grp_lld': 'lld-specific options',
    'none': 'Options in no group',
    'grp_kind': 'Output kind',
    'grp_libs': 'Libraries',
    'grp_content': 'Additional content',
    'grp_opts': 'Optimizations',
    'grp_version': 'Version targeting',
    'grp_dylib': 'Dynamic libraries',
    'grp_main': 'Main executable',
    'grp_bundle': 'Creating a bundle',
    'grp_object': 'Creating an object file',
    'grp_resolve': 'Symbol resolution',
    'grp_introspect': 'Introspecting the linker',
    'grp_symtab': 'Symbol table',
    'grp_rare': 'Rarely used',
    'grp_deprecated': 'Deprecated',
    'grp_obsolete': 'Obsolete',
    'grp_undocumented': 'Undocumented',
    'grp_ignored': 'Ignored',
    'grp_ignored_silently': 'Ignored silently',
}

LLD_STATUS = {
    'impl': 'implemented',
    'unimpl': 'not yet implemented',
    'deprecated': 'deprecated',
    'obsolete': 'obsolete',
    'undocumented': 'undocumented',
    'ignored': 'ignored',
}

STATUS_WORDS = {
    'implemented': 'implemented',
    'ignored': 'accepted, ignored',
    'refused': 'refused',
    'unknown': 'unknown',
}


# ---- reading the option lists ----

def read_list(path):
    """Our names list: [(group, heading, [option dict])]."""
    groups = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            if line.startswith('@'):
                gid, _, heading = line[1:].partition(' ')
                groups.append((gid, heading.strip(), []))
                continue
            parts = line.split(None, 3)
            if len(parts) < 3 or not groups:
                sys.exit('%s: bad line: %s' % (path, line))
            groups[-1][2].append({'name': parts[0], 'kind': parts[1],
                                  'lld': parts[2],
                                  'desc': parts[3] if len(parts) > 3 else ''})
    return groups


KINDS = {'Flag': 'flag', 'Separate': 'separate', 'Joined': 'joined',
         'JoinedOrSeparate': 'joined_or_separate',
         'CommaJoined': 'comma_joined', 'MultiArg': 'multi'}
HIDDEN_STATUS = {'grp_deprecated': 'deprecated', 'grp_obsolete': 'obsolete',
                 'grp_undocumented': 'undocumented', 'grp_ignored': 'ignored',
                 'grp_ignored_silently': 'ignored'}


def read_td(path):
    """lld/MachO/Options.td: the same shape as read_list, descriptions
    empty. Understands def NAME : KIND<[prefixes], "name"[, n]>, ... and the
    BB multiclass (--X / --no-X); strings are masked first, since help
    texts hold ';' and ','."""
    text = open(path, encoding='utf-8').read()
    strings = []

    def mask(m):
        strings.append(m.group(0)[1:-1])
        return '"%d"' % (len(strings) - 1)
    text = re.sub(r'"(?:[^"\\]|\\.)*"', mask, re.sub(r'//[^\n]*', '', text))
    s = lambda tok: strings[int(tok.strip('"'))]
    headings, order, defs = {}, [], []
    for stmt in text.split(';'):
        stmt = ' '.join(stmt.split()).lstrip('} ')
        m = re.match(r'def (\w+) : OptionGroup<"\d+">, HelpText<("\d+")>', stmt)
        if m:
            headings[m.group(1)] = s(m.group(2))
            order.append(m.group(1))
            continue
        m = re.match(r'defm (\w+) ?: ?BB<("\d+"), "\d+", "\d+">(.*)', stmt)
        if m:
            name = s(m.group(2))
            g = re.search(r'Group<(\w+)>', m.group(3))
            for n in (name, 'no-' + name):
                defs.append({'id': n, 'name': '--' + n, 'kind': 'flag',
                             'group': g.group(1) if g else 'none',
                             'hidden': False, 'alias': None})
            continue
        m = re.match(r'def (\w*) ?: ?(\w+)<\[([^\]]*)\], ?("\d+")(?:, ?(\d+))?>(.*)',
                     stmt)
        if not m or m.group(2) not in KINDS:
            continue
        prefixes = [s(p) for p in re.findall(r'"\d+"', m.group(3))]
        kind = KINDS[m.group(2)]
        if kind == 'multi':
            kind = 'multi' + m.group(5)
        rest = m.group(6)
        g = re.search(r'Group<(\w+)>', rest)
        a = re.search(r'Alias<(?:!cast<\w+>\()?(\w+)\)?>', rest)
        defs.append({'id': m.group(1), 'name': prefixes[-1] + s(m.group(4)),
                     'kind': kind, 'group': g.group(1) if g else 'none',
                     'hidden': 'HelpHidden' in rest,
                     'alias': a.group(1) if a else None})
    by_id = {d['id']: d for d in defs if d['id']}
    groups = {}
    for d in defs:
        target = by_id.get(d['alias'], d) if d['alias'] else d
        if not target['hidden']:
            d['lld'] = 'impl'
        else:
            d['lld'] = HIDDEN_STATUS.get(target['group'], 'unimpl')
        groups.setdefault(d['group'], []).append(
            {'name': d['name'], 'kind': d['kind'], 'lld': d['lld'], 'desc': ''})
    ids = [g for g in order if g in groups]
    if 'none' in groups:
        ids.insert(1 if ids and ids[0] == 'grp_lld' else 0, 'none')
    return [(g, headings.get(g, 'OPTIONS (no group)'), groups[g]) for g in ids]


def read_source(path):
    with open(path, encoding='utf-8') as f:
        head = f.read(4096)
    if 'OptParser.td' in head or re.search(r'^def ', head, re.M):
        groups = read_td(path)
        keep = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            'ld64-options.txt')
        if os.path.exists(keep):
            add_descriptions(groups, read_list(keep))
        return groups
    return read_list(path)


def add_descriptions(groups, old):
    descs = {o['name']: o['desc'] for _, _, opts in old for o in opts}
    for _, _, opts in groups:
        for o in opts:
            o['desc'] = o['desc'] or descs.get(o['name'], '')


# ---- the inputs of a probe link ----

def macho_object(symbol):
    """A minimal x86_64 MH_OBJECT: __TEXT,__text holding one `ret` and the
    external symbol SYMBOL at its start."""
    name = b'\0' + symbol.encode() + b'\0'
    name += b'\0' * (-len(name) % 8)
    ncmds, header = 4, 32
    seg_size = 72 + 80
    cmds_size = seg_size + 24 + 24 + 80
    text_off = header + cmds_size
    code = b'\xc3' + b'\0' * 7
    sym_off = text_off + len(code)
    str_off = sym_off + 16
    out = struct.pack('<IiiIIIII', 0xfeedfacf, 0x01000007, 3, 1, ncmds,
                      cmds_size, 0, 0)
    out += struct.pack('<II16sQQQQiiII', 0x19, seg_size, b'', 0, 1,
                       text_off, 1, 7, 7, 1, 0)
    out += struct.pack('<16s16sQQIIIIIIII', b'__text', b'__TEXT', 0, 1,
                       text_off, 0, 0, 0, 0x80000400, 0, 0, 0)
    out += struct.pack('<IIIIII', 0x32, 24, 1, 0x000b0000, 0, 0)
    out += struct.pack('<IIIIII', 0x2, 24, sym_off, 1, str_off, len(name))
    out += struct.pack('<20I', 0xb, 80, 0, 0, 0, 1, 1, 0, *([0] * 12))
    assert len(out) == text_off
    out += code
    out += struct.pack('<IBBHQ', 1, 0x0f, 1, 0, 0)
    return out + name


def archive(members):
    """A System V ar archive of (name, bytes)."""
    out = b'!<arch>\n'
    for name, data in members:
        out += ('%-16s%-12d%-6d%-6d%-8s%-10d`\n' % (
            name + '/', 0, 0, 0, '644', len(data))).encode()
        out += data + (b'\n' if len(data) % 2 else b'')
    return out


TBD = """--- !tapi-tbd
tbd-version:     4
targets:         [ x86_64-macos, arm64-macos ]
install-name:    '%s'
exports:
  - targets:     [ x86_64-macos, arm64-macos ]
    symbols:     [ _%s_function ]
...
"""


class Probe:
    """A temporary directory with what the probe links need."""

    def __init__(self, ld):
        self.ld = ld
        self.tmp = tempfile.TemporaryDirectory(prefix='options-coverage.')
        d = self.dir = self.tmp.name
        self.write('main.o', macho_object('_main'))
        self.write('libprobe.a', archive([('helper.o', macho_object('_helper'))]))
        os.makedirs(os.path.join(d, 'lib'))
        self.write('lib/libprobe.tbd',
                   TBD % ('/usr/lib/libprobe.dylib', 'probe'))
        os.makedirs(os.path.join(d, 'fw', 'Probe.framework'))
        self.write('fw/Probe.framework/Probe.tbd',
                   TBD % ('/System/Library/Frameworks/Probe.framework/Probe',
                          'Probe'))
        self.write('empty.txt', b'')
        self.write('main.txt', b'_main\n')
        self.write('nothing.txt', b'_nothing\n')
        p = lambda name: os.path.join(d, name)
        self.values = {
            '-o': [p('out')], '-arch': ['x86_64'],
            '-platform_version': ['macos', '11.0', '11.0'],
            '-e': ['_main'], '-L': [p('lib')], '-F': [p('fw')],
            '-syslibroot': [p('lib')], '-filelist': [p('empty.txt')],
            '-map': [p('out.map')], '-undefined': ['error'],
            '-u': ['_main'], '-U': ['_nothing'],
            '-order_file': [p('main.txt')],
            '-exported_symbols_list': [p('main.txt')],
            '-unexported_symbols_list': [p('nothing.txt')],
            '-exported_symbol': ['_main'], '-unexported_symbol': ['_nothing'],
            '-rpath': ['/opt/probe/lib'], '-stack_size': ['0x800000'],
            '-headerpad': ['0x100'], '-mllvm': ['-enable-machine-outliner'],
            '-lto_library': ['/usr/lib/libLTO.dylib'],
            '-object_path_lto': [p('lto.o')], '-O': ['1'],
            '--threads=': ['1'], '--dump=': ['bind'],
            '-why_live': ['_main'], '--icf=': ['none'],
            '-sectcreate': ['__DATA', '__probe', p('main.txt')],
            '-segcreate': ['__DATA', '__probe', p('main.txt')],
            '-rename_section': ['__TEXT', '__text', '__TEXT', '__code'],
            '-rename_segment': ['__DATA', '__PROBE'],
            '-segprot': ['__DATA', 'rw', 'rw'],
            '-install_name': ['@rpath/libprobe.dylib'],
            '-dylib_install_name': ['@rpath/libprobe.dylib'],
            '-dylinker_install_name': ['@rpath/libprobe.dylib'],
            '-current_version': ['1.2.3'], '-dylib_current_version': ['1.2.3'],
            '-compatibility_version': ['1.0'],
            '-dylib_compatibility_version': ['1.0'],
            '-pagezero_size': ['0x10000'],
            '-bundle_loader': [p('loader.out')],
        }
        # an executable for -bundle_loader
        subprocess.run([ld, '-arch', 'x86_64', '-export_dynamic', '-o', p('loader.out'),
                        p('main.o')], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        for o in ('-macos_version_min', '-macosx_version_min'):
            self.values[o] = ['11.0']
        for o in ('-l', '-weak-l', '-needed-l', '-lazy-l', '-hidden-l',
                  '-reexport-l', '-upward-l'):
            self.values[o] = ['probe']
        for o in ('-framework', '-weak_framework', '-needed_framework',
                  '-reexport_framework', '-upward_framework', '-lazy_framework'):
            self.values[o] = ['Probe']
        for o in ('-weak_library', '-needed_library', '-reexport_library',
                  '-upward_library', '-lazy_library'):
            self.values[o] = [p('lib/libprobe.tbd')]
        for o in ('-force_load', '-load_hidden'):
            self.values[o] = [p('libprobe.a')]

    def write(self, name, data):
        with open(os.path.join(self.dir, name), 'wb') as f:
            f.write(data if isinstance(data, bytes) else data.encode())

    def args(self, name, kind):
        """The arguments that give option NAME of KIND its value."""
        n = {'flag': 0, 'separate': 1, 'joined': 1, 'joined_or_separate': 1,
             'comma_joined': 1}.get(kind)
        if n is None:
            n = int(kind[len('multi'):])
        vals = self.values.get(name, ['x'] * n)[:n]
        # where to find the probe library and framework
        where = []
        if self.values.get(name) == ['probe']:
            where = ['-L', os.path.join(self.dir, 'lib')]
        elif self.values.get(name) == ['Probe']:
            where = ['-F', os.path.join(self.dir, 'fw')]
        if name == '--end-lib':   # alone it is a stray one
            where = ['--start-lib']
        # options of a dylib's or a bundle's link
        if name in ('-reexport-l', '-reexport_library', '-reexport_framework',
                    '-mark_dead_strippable_dylib'):
            where = where + ['-dylib']
        if name == '-bundle_loader':
            where = ['-bundle']
        if kind in ('joined', 'comma_joined'):
            return where + [name + vals[0]]
        # the separate form: lld spells JoinedOrSeparate -L DIR either way
        return where + [name] + vals

    def run(self, name, kind):
        """('accepted' | 'unknown' | 'refused', message); an option that
        may be joined or separate must be accepted in both forms."""
        result = self.run_args(self.args(name, kind))
        if kind == 'joined_or_separate' and result[0] == 'accepted':
            result = self.run_args(self.args(name, 'joined'))
        return result

    def run_args(self, args):
        argv = [self.ld, '-arch', 'x86_64', '-o', os.path.join(self.dir, 'a.out'),
                os.path.join(self.dir, 'main.o')] + args
        r = subprocess.run(argv, cwd=self.dir, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=60)
        err = r.stderr.decode('utf-8', 'replace').replace(self.dir, 'TMP')
        lines = [l for l in err.splitlines() if l.strip()]
        errors = [l.split('error: ', 1)[1] for l in lines if 'error: ' in l]
        if r.returncode == 0:
            warns = [l.split('warning: ', 1)[1] for l in lines if 'warning: ' in l]
            return 'accepted', warns[0] if warns else ''
        first = errors[0] if errors else (lines[0] if lines else
                                          'exit status %d' % r.returncode)
        if first.startswith('unknown option'):
            return 'unknown', first
        return 'refused', first


# ---- classification ----

def classify(groups, ld):
    """Adds 'status', 'note' and 'problem' to each option."""
    probe = Probe(ld)
    rows = []
    for _, _, opts in groups:
        for o in opts:
            result, msg = probe.run(o['name'], o['kind'])
            o['problem'] = ''
            if result == 'accepted':
                if o['name'] in IMPLEMENTED:
                    o['status'], o['note'] = 'implemented', IMPLEMENTED[o['name']]
                elif o['name'] in IGNORED:
                    o['status'], o['note'] = 'ignored', IGNORED[o['name']]
                else:
                    o['status'], o['note'] = 'implemented', ''
                    o['problem'] = ('accepted, but in neither IMPLEMENTED '
                                    'nor IGNORED')
            else:
                o['status'] = result
                o['note'] = '' if result == 'unknown' else msg
                if o['name'] in IMPLEMENTED or o['name'] in IGNORED:
                    o['problem'] = 'listed as accepted, but: ' + msg
                elif result == 'refused' and o['name'].rstrip('=') not in msg:
                    o['problem'] = 'refused without naming the option: ' + msg
            if o['status'] == 'unknown':
                o['note'] = PASSED_BY.get(o['name'], NOTES.get(o['name'], ''))
            if o['name'] == '--help':
                for alt in ('-help',):
                    if probe.run(alt, 'flag')[0] != 'accepted':
                        o['problem'] = alt + ' is not accepted'
            rows.append(o)
    own = []
    for name, (val, note) in OWN.items():
        result, msg = probe.run(name, 'joined' if val else 'flag')
        own.append({'name': name, 'status': result, 'note': note,
                    'problem': '' if result == 'accepted' else msg})
    probe.tmp.cleanup()
    return rows, own


# ---- the document ----

def cell(text):
    return text.replace('|', '\\|')


def spelled(o):
    meta = {'separate': ' ARG', 'joined': 'ARG', 'joined_or_separate': ' ARG',
            'comma_joined': 'ARG,...', 'flag': ''}
    k = o['kind']
    if k.startswith('multi'):
        args = ' ARG' * int(k[len('multi'):])
    else:
        args = meta[k]
    if o['name'].endswith('=') and k == 'joined':
        args = 'VALUE'
    return '`%s%s`' % (o['name'], args)


def render(groups, rows, own, source_name):
    origin = ''
    with open(source_name, encoding='utf-8') as f:
        m = re.search(r'commit ([0-9a-f]{40})', f.read(8192))
    if m and source_name.endswith('.txt'):
        origin = (' at llvm-project commit %s, plus the two '
                  '`--[no-]warn-duplicate-rpath` options that LLD 19.1.7 '
                  'also has' % m.group(1)[:12])
    count = {k: 0 for k in STATUS_WORDS}
    lld = {k: 0 for k in LLD_STATUS}
    for o in rows:
        count[o['status']] += 1
        lld[o['lld']] += 1
    n = len(rows)
    not_impl = n - lld['impl']
    out = []
    w = out.append
    w('# linkfs-ld and ld64.lld\'s options\n')
    w('How linkfs-ld answers each option of LLVM 19\'s ld64.lld, as listed in '
      'lld/MachO/Options.td%s (tools/ld64-options.txt holds the names). '
      'Each option was run through linkfs-ld with a '
      'trivial object and the argument it needs; docs/usage.md describes the '
      'implemented ones in full.\n' % origin)
    w('Generated by `tools/options-coverage.py %s build/linker/cli/linkfs-ld '
      '> docs/options.md`; the test `options-coverage` (suite `link`) fails '
      'when linkfs-ld no longer does what this page says.\n' % source_name)
    w('## Summary\n')
    w('| linkfs-ld | options |')
    w('|---|---|')
    w('| implemented | %d |' % count['implemented'])
    w('| accepted, ignored (for the reason given) | %d |' % count['ignored'])
    w('| refused with a message naming the option | %d |' % count['refused'])
    w('| unknown (`unknown option \'-x\' (see --help)`) | %d |' % count['unknown'])
    w('| **all of ld64.lld\'s** | **%d** |\n' % n)
    w('ld64.lld itself does not implement %d of its %d options, and says '
      'so: Options.td marks them `Flags<[HelpHidden]>` (an alias counts as '
      'what it aliases). By group: %d "not yet implemented" (lld warns '
      '"Stay tuned..."), %d obsolete, %d deprecated, %d undocumented in '
      'ld64 and %d ignored; lld warns when given any of them, except '
      'the group "ignored silently". '
      'Of the %d options ld64.lld implements, linkfs-ld implements or '
      'accepts %d.\n' % (
          not_impl, n, lld['unimpl'], lld['obsolete'], lld['deprecated'],
          lld['undocumented'], lld['ignored'], lld['impl'],
          sum(1 for o in rows if o['lld'] == 'impl' and
              o['status'] in ('implemented', 'ignored'))))
    extra = [o for o in rows if o['lld'] != 'impl' and
             o['status'] in ('implemented', 'ignored')]
    if extra:
        w('linkfs-ld implements %d that ld64.lld 19 does not: %s.\n' % (
            len(extra), ', '.join('`%s`' % o['name'] for o in extra)))
    w('An option linkfs-ld does not take fails the link (exit status 1) '
      'before any input is read, with a message naming it; none is read as '
      'another (`-lto_library` is not `-l` with `to_library`).\n')
    missing = [o for o in rows if o['name'] in PASSED_BY and
               o['status'] in ('unknown', 'refused')]
    if missing:
        w('### Refused options that clang or CMake pass\n')
        for o in missing:
            w('- `%s`: %s.' % (o['name'], PASSED_BY[o['name']]))
        w('')
    w('## All options\n')
    w('By Options.td\'s groups, in its order. "lld" is what ld64.lld 19 '
      'does with the option itself. Descriptions are ours.\n')
    for gid, heading, opts in groups:
        w('### %s\n' % GROUP_TITLES.get(gid, heading.capitalize()))
        w('| option | what it does | lld | linkfs-ld | note |')
        w('|---|---|---|---|---|')
        for o in opts:
            w('| %s | %s | %s | %s | %s |' % (
                spelled(o), cell(o['desc']), LLD_STATUS[o['lld']],
                STATUS_WORDS[o['status']], cell(o['note'])))
        w('')
    w('## linkfs-ld\'s own options\n')
    w('Not in ld64.lld\'s list; all accepted.\n')
    w('| option | note |')
    w('|---|---|')
    for o in own:
        w('| `%s` | %s |' % (o['name'] + ('KIND' if o['name'].endswith('=') else ''),
                             cell(o['note'])))
    return '\n'.join(out) + '\n'


def doc_statuses(path):
    """{option: status word} from a generated document's tables."""
    words = {v: k for k, v in STATUS_WORDS.items()}
    got = {}
    for line in open(path, encoding='utf-8'):
        m = re.match(r'\| `(-[^` ]*?)(?:ARG|VALUE)?(?: ARG)*(?:,\.\.\.)?` \|'
                     r'(?:[^|\\]|\\.)*\| [^|]* \| ([^|]+) \|', line)
        if m and m.group(2).strip() in words:
            got[m.group(1)] = words[m.group(2).strip()]
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', metavar='DOC')
    ap.add_argument('--extract', metavar='OPTIONS_TD')
    ap.add_argument('--keep', metavar='LIST')
    ap.add_argument('source', nargs='?')
    ap.add_argument('ld', nargs='?')
    a = ap.parse_args()
    if a.extract:
        groups = read_td(a.extract)
        if a.keep:
            add_descriptions(groups, read_list(a.keep))
        for gid, heading, opts in groups:
            print('\n@%s %s' % (gid, heading))
            for o in opts:
                print(('%-40s %-10s %-6s %s' % (o['name'], o['kind'], o['lld'],
                                                o['desc'])).rstrip())
        return 0
    if not a.source or not a.ld:
        ap.error('SOURCE and LINKFS_LD are needed')
    groups = read_source(a.source)
    rows, own = classify(groups, os.path.abspath(a.ld))
    problems = ['%s: %s' % (o['name'], o['problem'])
                for o in rows + own if o['problem']]
    if a.check:
        claimed = doc_statuses(a.check)
        for o in rows:
            was = claimed.get(o['name'])
            if was is None:
                problems.append('%s: not in %s' % (o['name'], a.check))
            elif was != o['status']:
                problems.append('%s: %s says %s, linkfs-ld now: %s%s' % (
                    o['name'], a.check, STATUS_WORDS[was],
                    STATUS_WORDS[o['status']],
                    ' (%s)' % o['note'] if o['note'] else ''))
        for p in problems:
            print('options-coverage: ' + p, file=sys.stderr)
        if problems:
            print('options-coverage: regenerate with tools/options-coverage.py '
                  'tools/ld64-options.txt LINKFS_LD > docs/options.md after '
                  'updating IMPLEMENTED/IGNORED', file=sys.stderr)
            return 1
        print('options-coverage: %d options, as %s says' % (len(rows), a.check))
        return 0
    for p in problems:
        print('options-coverage: warning: ' + p, file=sys.stderr)
    sys.stdout.write(render(groups, rows, own,
                            os.path.relpath(a.source) if not os.path.isabs(a.source)
                            else a.source))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
