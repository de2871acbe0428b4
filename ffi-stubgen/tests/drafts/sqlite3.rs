// Drafted by ffi-stubgen from `sqlite3.h`:
//     ffi-stubgen import --header /usr/include/sqlite3.h --library sqlite3 -o ffi-stubgen/tests/drafts/sqlite3.rs
// 281 functions drafted, 139 whole. 237 pointers are marked `Unresolved<"C type">`: state each one's
// meaning (In<..>, Out<..>, InOut<..>, CStr, a handle, a callback), checking the
// `guess = ".."` beside it where there is one; the description does not build until
// none is left.
// 30 items could not be imported: see the end of this file.

use ffi_desc::foreign;
#[foreign(library = "sqlite3", header = "sqlite3.h", prefix = "sqlite3_")]
pub mod sqlite3 {
    pub const SQLITE_VERSION: &::std::ffi::CStr = c"3.40.1";
    pub const SQLITE_VERSION_NUMBER: u32 = 3040001;
    pub const SQLITE_SOURCE_ID: &::std::ffi::CStr = c"2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f3alt1";
    pub const SQLITE_OK: u32 = 0;
    pub const SQLITE_ERROR: u32 = 1;
    pub const SQLITE_INTERNAL: u32 = 2;
    pub const SQLITE_PERM: u32 = 3;
    pub const SQLITE_ABORT: u32 = 4;
    pub const SQLITE_BUSY: u32 = 5;
    pub const SQLITE_LOCKED: u32 = 6;
    pub const SQLITE_NOMEM: u32 = 7;
    pub const SQLITE_READONLY: u32 = 8;
    pub const SQLITE_INTERRUPT: u32 = 9;
    pub const SQLITE_IOERR: u32 = 10;
    pub const SQLITE_CORRUPT: u32 = 11;
    pub const SQLITE_NOTFOUND: u32 = 12;
    pub const SQLITE_FULL: u32 = 13;
    pub const SQLITE_CANTOPEN: u32 = 14;
    pub const SQLITE_PROTOCOL: u32 = 15;
    pub const SQLITE_EMPTY: u32 = 16;
    pub const SQLITE_SCHEMA: u32 = 17;
    pub const SQLITE_TOOBIG: u32 = 18;
    pub const SQLITE_CONSTRAINT: u32 = 19;
    pub const SQLITE_MISMATCH: u32 = 20;
    pub const SQLITE_MISUSE: u32 = 21;
    pub const SQLITE_NOLFS: u32 = 22;
    pub const SQLITE_AUTH: u32 = 23;
    pub const SQLITE_FORMAT: u32 = 24;
    pub const SQLITE_RANGE: u32 = 25;
    pub const SQLITE_NOTADB: u32 = 26;
    pub const SQLITE_NOTICE: u32 = 27;
    pub const SQLITE_WARNING: u32 = 28;
    pub const SQLITE_ROW: u32 = 100;
    pub const SQLITE_DONE: u32 = 101;
    pub const SQLITE_ERROR_MISSING_COLLSEQ: u32 = 257;
    pub const SQLITE_ERROR_RETRY: u32 = 513;
    pub const SQLITE_ERROR_SNAPSHOT: u32 = 769;
    pub const SQLITE_IOERR_READ: u32 = 266;
    pub const SQLITE_IOERR_SHORT_READ: u32 = 522;
    pub const SQLITE_IOERR_WRITE: u32 = 778;
    pub const SQLITE_IOERR_FSYNC: u32 = 1034;
    pub const SQLITE_IOERR_DIR_FSYNC: u32 = 1290;
    pub const SQLITE_IOERR_TRUNCATE: u32 = 1546;
    pub const SQLITE_IOERR_FSTAT: u32 = 1802;
    pub const SQLITE_IOERR_UNLOCK: u32 = 2058;
    pub const SQLITE_IOERR_RDLOCK: u32 = 2314;
    pub const SQLITE_IOERR_DELETE: u32 = 2570;
    pub const SQLITE_IOERR_BLOCKED: u32 = 2826;
    pub const SQLITE_IOERR_NOMEM: u32 = 3082;
    pub const SQLITE_IOERR_ACCESS: u32 = 3338;
    pub const SQLITE_IOERR_CHECKRESERVEDLOCK: u32 = 3594;
    pub const SQLITE_IOERR_LOCK: u32 = 3850;
    pub const SQLITE_IOERR_CLOSE: u32 = 4106;
    pub const SQLITE_IOERR_DIR_CLOSE: u32 = 4362;
    pub const SQLITE_IOERR_SHMOPEN: u32 = 4618;
    pub const SQLITE_IOERR_SHMSIZE: u32 = 4874;
    pub const SQLITE_IOERR_SHMLOCK: u32 = 5130;
    pub const SQLITE_IOERR_SHMMAP: u32 = 5386;
    pub const SQLITE_IOERR_SEEK: u32 = 5642;
    pub const SQLITE_IOERR_DELETE_NOENT: u32 = 5898;
    pub const SQLITE_IOERR_MMAP: u32 = 6154;
    pub const SQLITE_IOERR_GETTEMPPATH: u32 = 6410;
    pub const SQLITE_IOERR_CONVPATH: u32 = 6666;
    pub const SQLITE_IOERR_VNODE: u32 = 6922;
    pub const SQLITE_IOERR_AUTH: u32 = 7178;
    pub const SQLITE_IOERR_BEGIN_ATOMIC: u32 = 7434;
    pub const SQLITE_IOERR_COMMIT_ATOMIC: u32 = 7690;
    pub const SQLITE_IOERR_ROLLBACK_ATOMIC: u32 = 7946;
    pub const SQLITE_IOERR_DATA: u32 = 8202;
    pub const SQLITE_IOERR_CORRUPTFS: u32 = 8458;
    pub const SQLITE_LOCKED_SHAREDCACHE: u32 = 262;
    pub const SQLITE_LOCKED_VTAB: u32 = 518;
    pub const SQLITE_BUSY_RECOVERY: u32 = 261;
    pub const SQLITE_BUSY_SNAPSHOT: u32 = 517;
    pub const SQLITE_BUSY_TIMEOUT: u32 = 773;
    pub const SQLITE_CANTOPEN_NOTEMPDIR: u32 = 270;
    pub const SQLITE_CANTOPEN_ISDIR: u32 = 526;
    pub const SQLITE_CANTOPEN_FULLPATH: u32 = 782;
    pub const SQLITE_CANTOPEN_CONVPATH: u32 = 1038;
    pub const SQLITE_CANTOPEN_DIRTYWAL: u32 = 1294;
    pub const SQLITE_CANTOPEN_SYMLINK: u32 = 1550;
    pub const SQLITE_CORRUPT_VTAB: u32 = 267;
    pub const SQLITE_CORRUPT_SEQUENCE: u32 = 523;
    pub const SQLITE_CORRUPT_INDEX: u32 = 779;
    pub const SQLITE_READONLY_RECOVERY: u32 = 264;
    pub const SQLITE_READONLY_CANTLOCK: u32 = 520;
    pub const SQLITE_READONLY_ROLLBACK: u32 = 776;
    pub const SQLITE_READONLY_DBMOVED: u32 = 1032;
    pub const SQLITE_READONLY_CANTINIT: u32 = 1288;
    pub const SQLITE_READONLY_DIRECTORY: u32 = 1544;
    pub const SQLITE_ABORT_ROLLBACK: u32 = 516;
    pub const SQLITE_CONSTRAINT_CHECK: u32 = 275;
    pub const SQLITE_CONSTRAINT_COMMITHOOK: u32 = 531;
    pub const SQLITE_CONSTRAINT_FOREIGNKEY: u32 = 787;
    pub const SQLITE_CONSTRAINT_FUNCTION: u32 = 1043;
    pub const SQLITE_CONSTRAINT_NOTNULL: u32 = 1299;
    pub const SQLITE_CONSTRAINT_PRIMARYKEY: u32 = 1555;
    pub const SQLITE_CONSTRAINT_TRIGGER: u32 = 1811;
    pub const SQLITE_CONSTRAINT_UNIQUE: u32 = 2067;
    pub const SQLITE_CONSTRAINT_VTAB: u32 = 2323;
    pub const SQLITE_CONSTRAINT_ROWID: u32 = 2579;
    pub const SQLITE_CONSTRAINT_PINNED: u32 = 2835;
    pub const SQLITE_CONSTRAINT_DATATYPE: u32 = 3091;
    pub const SQLITE_NOTICE_RECOVER_WAL: u32 = 283;
    pub const SQLITE_NOTICE_RECOVER_ROLLBACK: u32 = 539;
    pub const SQLITE_WARNING_AUTOINDEX: u32 = 284;
    pub const SQLITE_AUTH_USER: u32 = 279;
    pub const SQLITE_OK_LOAD_PERMANENTLY: u32 = 256;
    pub const SQLITE_OK_SYMLINK: u32 = 512;
    pub const SQLITE_OPEN_READONLY: u32 = 1;
    pub const SQLITE_OPEN_READWRITE: u32 = 2;
    pub const SQLITE_OPEN_CREATE: u32 = 4;
    pub const SQLITE_OPEN_DELETEONCLOSE: u32 = 8;
    pub const SQLITE_OPEN_EXCLUSIVE: u32 = 16;
    pub const SQLITE_OPEN_AUTOPROXY: u32 = 32;
    pub const SQLITE_OPEN_URI: u32 = 64;
    pub const SQLITE_OPEN_MEMORY: u32 = 128;
    pub const SQLITE_OPEN_MAIN_DB: u32 = 256;
    pub const SQLITE_OPEN_TEMP_DB: u32 = 512;
    pub const SQLITE_OPEN_TRANSIENT_DB: u32 = 1024;
    pub const SQLITE_OPEN_MAIN_JOURNAL: u32 = 2048;
    pub const SQLITE_OPEN_TEMP_JOURNAL: u32 = 4096;
    pub const SQLITE_OPEN_SUBJOURNAL: u32 = 8192;
    pub const SQLITE_OPEN_SUPER_JOURNAL: u32 = 16384;
    pub const SQLITE_OPEN_NOMUTEX: u32 = 32768;
    pub const SQLITE_OPEN_FULLMUTEX: u32 = 65536;
    pub const SQLITE_OPEN_SHAREDCACHE: u32 = 131072;
    pub const SQLITE_OPEN_PRIVATECACHE: u32 = 262144;
    pub const SQLITE_OPEN_WAL: u32 = 524288;
    pub const SQLITE_OPEN_NOFOLLOW: u32 = 16777216;
    pub const SQLITE_OPEN_EXRESCODE: u32 = 33554432;
    pub const SQLITE_OPEN_MASTER_JOURNAL: u32 = 16384;
    pub const SQLITE_IOCAP_ATOMIC: u32 = 1;
    pub const SQLITE_IOCAP_ATOMIC512: u32 = 2;
    pub const SQLITE_IOCAP_ATOMIC1K: u32 = 4;
    pub const SQLITE_IOCAP_ATOMIC2K: u32 = 8;
    pub const SQLITE_IOCAP_ATOMIC4K: u32 = 16;
    pub const SQLITE_IOCAP_ATOMIC8K: u32 = 32;
    pub const SQLITE_IOCAP_ATOMIC16K: u32 = 64;
    pub const SQLITE_IOCAP_ATOMIC32K: u32 = 128;
    pub const SQLITE_IOCAP_ATOMIC64K: u32 = 256;
    pub const SQLITE_IOCAP_SAFE_APPEND: u32 = 512;
    pub const SQLITE_IOCAP_SEQUENTIAL: u32 = 1024;
    pub const SQLITE_IOCAP_UNDELETABLE_WHEN_OPEN: u32 = 2048;
    pub const SQLITE_IOCAP_POWERSAFE_OVERWRITE: u32 = 4096;
    pub const SQLITE_IOCAP_IMMUTABLE: u32 = 8192;
    pub const SQLITE_IOCAP_BATCH_ATOMIC: u32 = 16384;
    pub const SQLITE_LOCK_NONE: u32 = 0;
    pub const SQLITE_LOCK_SHARED: u32 = 1;
    pub const SQLITE_LOCK_RESERVED: u32 = 2;
    pub const SQLITE_LOCK_PENDING: u32 = 3;
    pub const SQLITE_LOCK_EXCLUSIVE: u32 = 4;
    pub const SQLITE_SYNC_NORMAL: u32 = 2;
    pub const SQLITE_SYNC_FULL: u32 = 3;
    pub const SQLITE_SYNC_DATAONLY: u32 = 16;
    pub const SQLITE_FCNTL_LOCKSTATE: u32 = 1;
    pub const SQLITE_FCNTL_GET_LOCKPROXYFILE: u32 = 2;
    pub const SQLITE_FCNTL_SET_LOCKPROXYFILE: u32 = 3;
    pub const SQLITE_FCNTL_LAST_ERRNO: u32 = 4;
    pub const SQLITE_FCNTL_SIZE_HINT: u32 = 5;
    pub const SQLITE_FCNTL_CHUNK_SIZE: u32 = 6;
    pub const SQLITE_FCNTL_FILE_POINTER: u32 = 7;
    pub const SQLITE_FCNTL_SYNC_OMITTED: u32 = 8;
    pub const SQLITE_FCNTL_WIN32_AV_RETRY: u32 = 9;
    pub const SQLITE_FCNTL_PERSIST_WAL: u32 = 10;
    pub const SQLITE_FCNTL_OVERWRITE: u32 = 11;
    pub const SQLITE_FCNTL_VFSNAME: u32 = 12;
    pub const SQLITE_FCNTL_POWERSAFE_OVERWRITE: u32 = 13;
    pub const SQLITE_FCNTL_PRAGMA: u32 = 14;
    pub const SQLITE_FCNTL_BUSYHANDLER: u32 = 15;
    pub const SQLITE_FCNTL_TEMPFILENAME: u32 = 16;
    pub const SQLITE_FCNTL_MMAP_SIZE: u32 = 18;
    pub const SQLITE_FCNTL_TRACE: u32 = 19;
    pub const SQLITE_FCNTL_HAS_MOVED: u32 = 20;
    pub const SQLITE_FCNTL_SYNC: u32 = 21;
    pub const SQLITE_FCNTL_COMMIT_PHASETWO: u32 = 22;
    pub const SQLITE_FCNTL_WIN32_SET_HANDLE: u32 = 23;
    pub const SQLITE_FCNTL_WAL_BLOCK: u32 = 24;
    pub const SQLITE_FCNTL_ZIPVFS: u32 = 25;
    pub const SQLITE_FCNTL_RBU: u32 = 26;
    pub const SQLITE_FCNTL_VFS_POINTER: u32 = 27;
    pub const SQLITE_FCNTL_JOURNAL_POINTER: u32 = 28;
    pub const SQLITE_FCNTL_WIN32_GET_HANDLE: u32 = 29;
    pub const SQLITE_FCNTL_PDB: u32 = 30;
    pub const SQLITE_FCNTL_BEGIN_ATOMIC_WRITE: u32 = 31;
    pub const SQLITE_FCNTL_COMMIT_ATOMIC_WRITE: u32 = 32;
    pub const SQLITE_FCNTL_ROLLBACK_ATOMIC_WRITE: u32 = 33;
    pub const SQLITE_FCNTL_LOCK_TIMEOUT: u32 = 34;
    pub const SQLITE_FCNTL_DATA_VERSION: u32 = 35;
    pub const SQLITE_FCNTL_SIZE_LIMIT: u32 = 36;
    pub const SQLITE_FCNTL_CKPT_DONE: u32 = 37;
    pub const SQLITE_FCNTL_RESERVE_BYTES: u32 = 38;
    pub const SQLITE_FCNTL_CKPT_START: u32 = 39;
    pub const SQLITE_FCNTL_EXTERNAL_READER: u32 = 40;
    pub const SQLITE_FCNTL_CKSM_FILE: u32 = 41;
    pub const SQLITE_FCNTL_RESET_CACHE: u32 = 42;
    pub const SQLITE_GET_LOCKPROXYFILE: u32 = 2;
    pub const SQLITE_SET_LOCKPROXYFILE: u32 = 3;
    pub const SQLITE_LAST_ERRNO: u32 = 4;
    pub const SQLITE_ACCESS_EXISTS: u32 = 0;
    pub const SQLITE_ACCESS_READWRITE: u32 = 1;
    pub const SQLITE_ACCESS_READ: u32 = 2;
    pub const SQLITE_SHM_UNLOCK: u32 = 1;
    pub const SQLITE_SHM_LOCK: u32 = 2;
    pub const SQLITE_SHM_SHARED: u32 = 4;
    pub const SQLITE_SHM_EXCLUSIVE: u32 = 8;
    pub const SQLITE_SHM_NLOCK: u32 = 8;
    pub const SQLITE_CONFIG_SINGLETHREAD: u32 = 1;
    pub const SQLITE_CONFIG_MULTITHREAD: u32 = 2;
    pub const SQLITE_CONFIG_SERIALIZED: u32 = 3;
    pub const SQLITE_CONFIG_MALLOC: u32 = 4;
    pub const SQLITE_CONFIG_GETMALLOC: u32 = 5;
    pub const SQLITE_CONFIG_SCRATCH: u32 = 6;
    pub const SQLITE_CONFIG_PAGECACHE: u32 = 7;
    pub const SQLITE_CONFIG_HEAP: u32 = 8;
    pub const SQLITE_CONFIG_MEMSTATUS: u32 = 9;
    pub const SQLITE_CONFIG_MUTEX: u32 = 10;
    pub const SQLITE_CONFIG_GETMUTEX: u32 = 11;
    pub const SQLITE_CONFIG_LOOKASIDE: u32 = 13;
    pub const SQLITE_CONFIG_PCACHE: u32 = 14;
    pub const SQLITE_CONFIG_GETPCACHE: u32 = 15;
    pub const SQLITE_CONFIG_LOG: u32 = 16;
    pub const SQLITE_CONFIG_URI: u32 = 17;
    pub const SQLITE_CONFIG_PCACHE2: u32 = 18;
    pub const SQLITE_CONFIG_GETPCACHE2: u32 = 19;
    pub const SQLITE_CONFIG_COVERING_INDEX_SCAN: u32 = 20;
    pub const SQLITE_CONFIG_SQLLOG: u32 = 21;
    pub const SQLITE_CONFIG_MMAP_SIZE: u32 = 22;
    pub const SQLITE_CONFIG_WIN32_HEAPSIZE: u32 = 23;
    pub const SQLITE_CONFIG_PCACHE_HDRSZ: u32 = 24;
    pub const SQLITE_CONFIG_PMASZ: u32 = 25;
    pub const SQLITE_CONFIG_STMTJRNL_SPILL: u32 = 26;
    pub const SQLITE_CONFIG_SMALL_MALLOC: u32 = 27;
    pub const SQLITE_CONFIG_SORTERREF_SIZE: u32 = 28;
    pub const SQLITE_CONFIG_MEMDB_MAXSIZE: u32 = 29;
    pub const SQLITE_DBCONFIG_MAINDBNAME: u32 = 1000;
    pub const SQLITE_DBCONFIG_LOOKASIDE: u32 = 1001;
    pub const SQLITE_DBCONFIG_ENABLE_FKEY: u32 = 1002;
    pub const SQLITE_DBCONFIG_ENABLE_TRIGGER: u32 = 1003;
    pub const SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER: u32 = 1004;
    pub const SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION: u32 = 1005;
    pub const SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE: u32 = 1006;
    pub const SQLITE_DBCONFIG_ENABLE_QPSG: u32 = 1007;
    pub const SQLITE_DBCONFIG_TRIGGER_EQP: u32 = 1008;
    pub const SQLITE_DBCONFIG_RESET_DATABASE: u32 = 1009;
    pub const SQLITE_DBCONFIG_DEFENSIVE: u32 = 1010;
    pub const SQLITE_DBCONFIG_WRITABLE_SCHEMA: u32 = 1011;
    pub const SQLITE_DBCONFIG_LEGACY_ALTER_TABLE: u32 = 1012;
    pub const SQLITE_DBCONFIG_DQS_DML: u32 = 1013;
    pub const SQLITE_DBCONFIG_DQS_DDL: u32 = 1014;
    pub const SQLITE_DBCONFIG_ENABLE_VIEW: u32 = 1015;
    pub const SQLITE_DBCONFIG_LEGACY_FILE_FORMAT: u32 = 1016;
    pub const SQLITE_DBCONFIG_TRUSTED_SCHEMA: u32 = 1017;
    pub const SQLITE_DBCONFIG_MAX: u32 = 1017;
    pub const SQLITE_DENY: u32 = 1;
    pub const SQLITE_IGNORE: u32 = 2;
    pub const SQLITE_CREATE_INDEX: u32 = 1;
    pub const SQLITE_CREATE_TABLE: u32 = 2;
    pub const SQLITE_CREATE_TEMP_INDEX: u32 = 3;
    pub const SQLITE_CREATE_TEMP_TABLE: u32 = 4;
    pub const SQLITE_CREATE_TEMP_TRIGGER: u32 = 5;
    pub const SQLITE_CREATE_TEMP_VIEW: u32 = 6;
    pub const SQLITE_CREATE_TRIGGER: u32 = 7;
    pub const SQLITE_CREATE_VIEW: u32 = 8;
    pub const SQLITE_DELETE: u32 = 9;
    pub const SQLITE_DROP_INDEX: u32 = 10;
    pub const SQLITE_DROP_TABLE: u32 = 11;
    pub const SQLITE_DROP_TEMP_INDEX: u32 = 12;
    pub const SQLITE_DROP_TEMP_TABLE: u32 = 13;
    pub const SQLITE_DROP_TEMP_TRIGGER: u32 = 14;
    pub const SQLITE_DROP_TEMP_VIEW: u32 = 15;
    pub const SQLITE_DROP_TRIGGER: u32 = 16;
    pub const SQLITE_DROP_VIEW: u32 = 17;
    pub const SQLITE_INSERT: u32 = 18;
    pub const SQLITE_PRAGMA: u32 = 19;
    pub const SQLITE_READ: u32 = 20;
    pub const SQLITE_SELECT: u32 = 21;
    pub const SQLITE_TRANSACTION: u32 = 22;
    pub const SQLITE_UPDATE: u32 = 23;
    pub const SQLITE_ATTACH: u32 = 24;
    pub const SQLITE_DETACH: u32 = 25;
    pub const SQLITE_ALTER_TABLE: u32 = 26;
    pub const SQLITE_REINDEX: u32 = 27;
    pub const SQLITE_ANALYZE: u32 = 28;
    pub const SQLITE_CREATE_VTABLE: u32 = 29;
    pub const SQLITE_DROP_VTABLE: u32 = 30;
    pub const SQLITE_FUNCTION: u32 = 31;
    pub const SQLITE_SAVEPOINT: u32 = 32;
    pub const SQLITE_COPY: u32 = 0;
    pub const SQLITE_RECURSIVE: u32 = 33;
    pub const SQLITE_TRACE_STMT: u32 = 1;
    pub const SQLITE_TRACE_PROFILE: u32 = 2;
    pub const SQLITE_TRACE_ROW: u32 = 4;
    pub const SQLITE_TRACE_CLOSE: u32 = 8;
    pub const SQLITE_LIMIT_LENGTH: u32 = 0;
    pub const SQLITE_LIMIT_SQL_LENGTH: u32 = 1;
    pub const SQLITE_LIMIT_COLUMN: u32 = 2;
    pub const SQLITE_LIMIT_EXPR_DEPTH: u32 = 3;
    pub const SQLITE_LIMIT_COMPOUND_SELECT: u32 = 4;
    pub const SQLITE_LIMIT_VDBE_OP: u32 = 5;
    pub const SQLITE_LIMIT_FUNCTION_ARG: u32 = 6;
    pub const SQLITE_LIMIT_ATTACHED: u32 = 7;
    pub const SQLITE_LIMIT_LIKE_PATTERN_LENGTH: u32 = 8;
    pub const SQLITE_LIMIT_VARIABLE_NUMBER: u32 = 9;
    pub const SQLITE_LIMIT_TRIGGER_DEPTH: u32 = 10;
    pub const SQLITE_LIMIT_WORKER_THREADS: u32 = 11;
    pub const SQLITE_PREPARE_PERSISTENT: u32 = 1;
    pub const SQLITE_PREPARE_NORMALIZE: u32 = 2;
    pub const SQLITE_PREPARE_NO_VTAB: u32 = 4;
    pub const SQLITE_INTEGER: u32 = 1;
    pub const SQLITE_FLOAT: u32 = 2;
    pub const SQLITE_BLOB: u32 = 4;
    pub const SQLITE_NULL: u32 = 5;
    pub const SQLITE_TEXT: u32 = 3;
    pub const SQLITE3_TEXT: u32 = 3;
    pub const SQLITE_UTF8: u32 = 1;
    pub const SQLITE_UTF16LE: u32 = 2;
    pub const SQLITE_UTF16BE: u32 = 3;
    pub const SQLITE_UTF16: u32 = 4;
    pub const SQLITE_ANY: u32 = 5;
    pub const SQLITE_UTF16_ALIGNED: u32 = 8;
    pub const SQLITE_DETERMINISTIC: u32 = 2048;
    pub const SQLITE_DIRECTONLY: u32 = 524288;
    pub const SQLITE_SUBTYPE: u32 = 1048576;
    pub const SQLITE_INNOCUOUS: u32 = 2097152;
    pub const SQLITE_WIN32_DATA_DIRECTORY_TYPE: u32 = 1;
    pub const SQLITE_WIN32_TEMP_DIRECTORY_TYPE: u32 = 2;
    pub const SQLITE_TXN_NONE: u32 = 0;
    pub const SQLITE_TXN_READ: u32 = 1;
    pub const SQLITE_TXN_WRITE: u32 = 2;
    pub const SQLITE_INDEX_SCAN_UNIQUE: u32 = 1;
    pub const SQLITE_INDEX_CONSTRAINT_EQ: u32 = 2;
    pub const SQLITE_INDEX_CONSTRAINT_GT: u32 = 4;
    pub const SQLITE_INDEX_CONSTRAINT_LE: u32 = 8;
    pub const SQLITE_INDEX_CONSTRAINT_LT: u32 = 16;
    pub const SQLITE_INDEX_CONSTRAINT_GE: u32 = 32;
    pub const SQLITE_INDEX_CONSTRAINT_MATCH: u32 = 64;
    pub const SQLITE_INDEX_CONSTRAINT_LIKE: u32 = 65;
    pub const SQLITE_INDEX_CONSTRAINT_GLOB: u32 = 66;
    pub const SQLITE_INDEX_CONSTRAINT_REGEXP: u32 = 67;
    pub const SQLITE_INDEX_CONSTRAINT_NE: u32 = 68;
    pub const SQLITE_INDEX_CONSTRAINT_ISNOT: u32 = 69;
    pub const SQLITE_INDEX_CONSTRAINT_ISNOTNULL: u32 = 70;
    pub const SQLITE_INDEX_CONSTRAINT_ISNULL: u32 = 71;
    pub const SQLITE_INDEX_CONSTRAINT_IS: u32 = 72;
    pub const SQLITE_INDEX_CONSTRAINT_LIMIT: u32 = 73;
    pub const SQLITE_INDEX_CONSTRAINT_OFFSET: u32 = 74;
    pub const SQLITE_INDEX_CONSTRAINT_FUNCTION: u32 = 150;
    pub const SQLITE_MUTEX_FAST: u32 = 0;
    pub const SQLITE_MUTEX_RECURSIVE: u32 = 1;
    pub const SQLITE_MUTEX_STATIC_MAIN: u32 = 2;
    pub const SQLITE_MUTEX_STATIC_MEM: u32 = 3;
    pub const SQLITE_MUTEX_STATIC_MEM2: u32 = 4;
    pub const SQLITE_MUTEX_STATIC_OPEN: u32 = 4;
    pub const SQLITE_MUTEX_STATIC_PRNG: u32 = 5;
    pub const SQLITE_MUTEX_STATIC_LRU: u32 = 6;
    pub const SQLITE_MUTEX_STATIC_LRU2: u32 = 7;
    pub const SQLITE_MUTEX_STATIC_PMEM: u32 = 7;
    pub const SQLITE_MUTEX_STATIC_APP1: u32 = 8;
    pub const SQLITE_MUTEX_STATIC_APP2: u32 = 9;
    pub const SQLITE_MUTEX_STATIC_APP3: u32 = 10;
    pub const SQLITE_MUTEX_STATIC_VFS1: u32 = 11;
    pub const SQLITE_MUTEX_STATIC_VFS2: u32 = 12;
    pub const SQLITE_MUTEX_STATIC_VFS3: u32 = 13;
    pub const SQLITE_MUTEX_STATIC_MASTER: u32 = 2;
    pub const SQLITE_TESTCTRL_FIRST: u32 = 5;
    pub const SQLITE_TESTCTRL_PRNG_SAVE: u32 = 5;
    pub const SQLITE_TESTCTRL_PRNG_RESTORE: u32 = 6;
    pub const SQLITE_TESTCTRL_PRNG_RESET: u32 = 7;
    pub const SQLITE_TESTCTRL_BITVEC_TEST: u32 = 8;
    pub const SQLITE_TESTCTRL_FAULT_INSTALL: u32 = 9;
    pub const SQLITE_TESTCTRL_BENIGN_MALLOC_HOOKS: u32 = 10;
    pub const SQLITE_TESTCTRL_PENDING_BYTE: u32 = 11;
    pub const SQLITE_TESTCTRL_ASSERT: u32 = 12;
    pub const SQLITE_TESTCTRL_ALWAYS: u32 = 13;
    pub const SQLITE_TESTCTRL_RESERVE: u32 = 14;
    pub const SQLITE_TESTCTRL_OPTIMIZATIONS: u32 = 15;
    pub const SQLITE_TESTCTRL_ISKEYWORD: u32 = 16;
    pub const SQLITE_TESTCTRL_SCRATCHMALLOC: u32 = 17;
    pub const SQLITE_TESTCTRL_INTERNAL_FUNCTIONS: u32 = 17;
    pub const SQLITE_TESTCTRL_LOCALTIME_FAULT: u32 = 18;
    pub const SQLITE_TESTCTRL_EXPLAIN_STMT: u32 = 19;
    pub const SQLITE_TESTCTRL_ONCE_RESET_THRESHOLD: u32 = 19;
    pub const SQLITE_TESTCTRL_NEVER_CORRUPT: u32 = 20;
    pub const SQLITE_TESTCTRL_VDBE_COVERAGE: u32 = 21;
    pub const SQLITE_TESTCTRL_BYTEORDER: u32 = 22;
    pub const SQLITE_TESTCTRL_ISINIT: u32 = 23;
    pub const SQLITE_TESTCTRL_SORTER_MMAP: u32 = 24;
    pub const SQLITE_TESTCTRL_IMPOSTER: u32 = 25;
    pub const SQLITE_TESTCTRL_PARSER_COVERAGE: u32 = 26;
    pub const SQLITE_TESTCTRL_RESULT_INTREAL: u32 = 27;
    pub const SQLITE_TESTCTRL_PRNG_SEED: u32 = 28;
    pub const SQLITE_TESTCTRL_EXTRA_SCHEMA_CHECKS: u32 = 29;
    pub const SQLITE_TESTCTRL_SEEK_COUNT: u32 = 30;
    pub const SQLITE_TESTCTRL_TRACEFLAGS: u32 = 31;
    pub const SQLITE_TESTCTRL_TUNE: u32 = 32;
    pub const SQLITE_TESTCTRL_LOGEST: u32 = 33;
    pub const SQLITE_TESTCTRL_LAST: u32 = 33;
    pub const SQLITE_STATUS_MEMORY_USED: u32 = 0;
    pub const SQLITE_STATUS_PAGECACHE_USED: u32 = 1;
    pub const SQLITE_STATUS_PAGECACHE_OVERFLOW: u32 = 2;
    pub const SQLITE_STATUS_SCRATCH_USED: u32 = 3;
    pub const SQLITE_STATUS_SCRATCH_OVERFLOW: u32 = 4;
    pub const SQLITE_STATUS_MALLOC_SIZE: u32 = 5;
    pub const SQLITE_STATUS_PARSER_STACK: u32 = 6;
    pub const SQLITE_STATUS_PAGECACHE_SIZE: u32 = 7;
    pub const SQLITE_STATUS_SCRATCH_SIZE: u32 = 8;
    pub const SQLITE_STATUS_MALLOC_COUNT: u32 = 9;
    pub const SQLITE_DBSTATUS_LOOKASIDE_USED: u32 = 0;
    pub const SQLITE_DBSTATUS_CACHE_USED: u32 = 1;
    pub const SQLITE_DBSTATUS_SCHEMA_USED: u32 = 2;
    pub const SQLITE_DBSTATUS_STMT_USED: u32 = 3;
    pub const SQLITE_DBSTATUS_LOOKASIDE_HIT: u32 = 4;
    pub const SQLITE_DBSTATUS_LOOKASIDE_MISS_SIZE: u32 = 5;
    pub const SQLITE_DBSTATUS_LOOKASIDE_MISS_FULL: u32 = 6;
    pub const SQLITE_DBSTATUS_CACHE_HIT: u32 = 7;
    pub const SQLITE_DBSTATUS_CACHE_MISS: u32 = 8;
    pub const SQLITE_DBSTATUS_CACHE_WRITE: u32 = 9;
    pub const SQLITE_DBSTATUS_DEFERRED_FKS: u32 = 10;
    pub const SQLITE_DBSTATUS_CACHE_USED_SHARED: u32 = 11;
    pub const SQLITE_DBSTATUS_CACHE_SPILL: u32 = 12;
    pub const SQLITE_DBSTATUS_MAX: u32 = 12;
    pub const SQLITE_STMTSTATUS_FULLSCAN_STEP: u32 = 1;
    pub const SQLITE_STMTSTATUS_SORT: u32 = 2;
    pub const SQLITE_STMTSTATUS_AUTOINDEX: u32 = 3;
    pub const SQLITE_STMTSTATUS_VM_STEP: u32 = 4;
    pub const SQLITE_STMTSTATUS_REPREPARE: u32 = 5;
    pub const SQLITE_STMTSTATUS_RUN: u32 = 6;
    pub const SQLITE_STMTSTATUS_FILTER_MISS: u32 = 7;
    pub const SQLITE_STMTSTATUS_FILTER_HIT: u32 = 8;
    pub const SQLITE_STMTSTATUS_MEMUSED: u32 = 99;
    pub const SQLITE_CHECKPOINT_PASSIVE: u32 = 0;
    pub const SQLITE_CHECKPOINT_FULL: u32 = 1;
    pub const SQLITE_CHECKPOINT_RESTART: u32 = 2;
    pub const SQLITE_CHECKPOINT_TRUNCATE: u32 = 3;
    pub const SQLITE_VTAB_CONSTRAINT_SUPPORT: u32 = 1;
    pub const SQLITE_VTAB_INNOCUOUS: u32 = 2;
    pub const SQLITE_VTAB_DIRECTONLY: u32 = 3;
    pub const SQLITE_ROLLBACK: u32 = 1;
    pub const SQLITE_FAIL: u32 = 3;
    pub const SQLITE_REPLACE: u32 = 5;
    pub const SQLITE_SCANSTAT_NLOOP: u32 = 0;
    pub const SQLITE_SCANSTAT_NVISIT: u32 = 1;
    pub const SQLITE_SCANSTAT_EST: u32 = 2;
    pub const SQLITE_SCANSTAT_NAME: u32 = 3;
    pub const SQLITE_SCANSTAT_EXPLAIN: u32 = 4;
    pub const SQLITE_SCANSTAT_SELECTID: u32 = 5;
    pub const SQLITE_SERIALIZE_NOCOPY: u32 = 1;
    pub const SQLITE_DESERIALIZE_FREEONCLOSE: u32 = 1;
    pub const SQLITE_DESERIALIZE_RESIZEABLE: u32 = 2;
    pub const SQLITE_DESERIALIZE_READONLY: u32 = 4;
    pub const NOT_WITHIN: u32 = 0;
    pub const PARTLY_WITHIN: u32 = 1;
    pub const FULLY_WITHIN: u32 = 2;
    pub const FTS5_TOKENIZE_QUERY: u32 = 1;
    pub const FTS5_TOKENIZE_PREFIX: u32 = 2;
    pub const FTS5_TOKENIZE_DOCUMENT: u32 = 4;
    pub const FTS5_TOKENIZE_AUX: u32 = 8;
    pub const FTS5_TOKEN_COLOCATED: u32 = 1;
    #[c_name = "struct sqlite3_index_constraint"]
    pub struct IndexConstraint {
        pub iColumn: c_int,
        pub op: c_uchar,
        pub usable: c_uchar,
        pub iTermOffset: c_int,
    }
    #[c_name = "struct sqlite3_index_orderby"]
    pub struct IndexOrderby {
        pub iColumn: c_int,
        pub desc: c_uchar,
    }
    #[c_name = "struct sqlite3_index_constraint_usage"]
    pub struct IndexConstraintUsage {
        pub argvIndex: c_int,
        pub omit: c_uchar,
    }
    #[callback(c_name = "sqlite3_destructor_type")]
    pub type DestructorType = fn(arg1: UserData);
    /// `int (*)(void *, int)`, the type of `sqlite3_busy_handler`'s `arg2`.
    pub type BusyHandlerArg2 = fn(arg1: UserData, arg2: c_int) -> c_int;
    /// `void (*)(void *, const char *)`, the type of `sqlite3_trace`'s `xTrace`.
    pub type TraceXTrace = fn(arg1: UserData, arg2: CStr);
    /// `int (*)(void *)`, the type of `sqlite3_progress_handler`'s `arg3`.
    pub type ProgressHandlerArg3 = fn(arg1: UserData) -> c_int;
    /// `void (*)(void *)`, the type of `sqlite3_bind_blob`'s `arg4`.
    pub type BindBlobArg4 = fn(arg1: UserData);
    /// `void (*)(void *, sqlite3_int64, int)`, the type of `sqlite3_memory_alarm`'s `arg1`.
    pub type MemoryAlarmArg1 = fn(arg1: UserData, arg2: c_longlong, arg3: c_int);
    /// Freed by any of sqlite3_close, sqlite3_close_v2: `Drop` calls `sqlite3_close`; choose another if it fits better.
    #[opaque(c_type = "sqlite3", free = close)]
    pub struct Sqlite3;
    #[opaque(c_type = "sqlite3_backup", free = backup_finish)]
    pub struct Backup;
    #[opaque(c_type = "sqlite3_blob", free = blob_close)]
    pub struct Blob;
    /// Only ever lent to callbacks, for their duration: a callback type takes it, and no function returns it, writes it out or frees it.
    #[opaque(c_type = "sqlite3_context", scoped)]
    pub struct Context;
    #[opaque(c_pointer = "sqlite3_filename", free = free_filename)]
    pub struct Filename;
    #[opaque(c_type = "sqlite3_mutex", free = mutex_free)]
    pub struct Mutex;
    /// A handle though the header completes it: C allocates it (`sqlite3_snapshot_get` writes one out through `sqlite3_snapshot **`) and `sqlite3_snapshot_free` frees it.
    #[opaque(c_type = "sqlite3_snapshot", free = snapshot_free)]
    pub struct Snapshot;
    #[opaque(c_type = "sqlite3_stmt", free = finalize)]
    pub struct Stmt;
    #[opaque(c_type = "sqlite3_str", free = str_finish)]
    pub struct Str;
    #[opaque(c_type = "sqlite3_value", free = value_free)]
    pub struct Value;
    /// The functions of `sqlite3.h`.
    pub trait Sqlite3Library {
        fn libversion() -> Borrowed<CStr>;
        fn sourceid() -> Borrowed<CStr>;
        fn libversion_number() -> c_int;
        fn compileoption_used(zOptName: CStr) -> c_int;
        fn compileoption_get(N_: c_int) -> Borrowed<CStr>;
        fn threadsafe() -> c_int;
        fn close(arg1: Owned<Sqlite3>) -> c_int;
        fn close_v2(arg1: Owned<Sqlite3>) -> c_int;
        fn exec(
            arg1: &Sqlite3,
            sql: CStr,
            callback: Unresolved<"int (*)(void *, int, char **, char **)">,
            arg2: Unresolved<"void *">,
            errmsg: Unresolved<"char **">,
        ) -> c_int;
        fn initialize() -> c_int;
        fn os_init() -> c_int;
        fn os_end() -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 1)]
        fn config(
            arg1: Unresolved<
                "int",
                guess = "c_int if C reads no argument after it, whatever its value (this call passes none); each use that passes more is its own #[variadic(fixed = N)] function",
            >,
        ) -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 2)]
        fn db_config(
            arg1: &Sqlite3,
            op: Unresolved<
                "int",
                guess = "c_int if C reads no argument after it, whatever its value (this call passes none); each use that passes more is its own #[variadic(fixed = N)] function",
            >,
        ) -> c_int;
        fn extended_result_codes(arg1: &Sqlite3, onoff: c_int) -> c_int;
        fn last_insert_rowid(arg1: &Sqlite3) -> c_longlong;
        fn set_last_insert_rowid(arg1: &Sqlite3, arg2: c_longlong);
        fn changes(arg1: &Sqlite3) -> c_int;
        fn changes64(arg1: &Sqlite3) -> c_longlong;
        fn total_changes(arg1: &Sqlite3) -> c_int;
        fn total_changes64(arg1: &Sqlite3) -> c_longlong;
        fn interrupt(arg1: &Sqlite3);
        fn complete(sql: CStr) -> c_int;
        fn complete16(sql: Unresolved<"const void *">) -> c_int;
        fn busy_handler(
            arg1: &Sqlite3,
            arg2: Unresolved<
                "int (*)(void *, int)",
                guess = "Callback<BusyHandlerArg2, stored> with `arg3` its UserData, if C passes the callback `arg3` and no pointer of its own",
            >,
            arg3: Unresolved<
                "void *",
                guess = "UserData if C passes it to `arg2` unchanged",
            >,
        ) -> c_int;
        fn busy_timeout(arg1: &Sqlite3, ms: c_int) -> c_int;
        fn get_table(
            db: &Sqlite3,
            zSql: CStr,
            pazResult: Unresolved<"char ***">,
            pnRow: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            pnColumn: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            pzErrmsg: Unresolved<"char **">,
        ) -> c_int;
        fn free_table(result: Unresolved<"char **">);
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 1)]
        fn mprintf(
            arg1: Unresolved<
                "const char *",
                guess = "CStr if it is no format; a format is described with its arguments, one #[variadic(fixed = N)] function per use",
            >,
        ) -> Unresolved<"char *">;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 3)]
        fn snprintf(
            arg1: c_int,
            arg2: Unresolved<"char *">,
            arg3: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
        ) -> Unresolved<"char *">;
        fn malloc(arg1: c_int) -> Unresolved<"void *">;
        fn malloc64(arg1: c_ulonglong) -> Unresolved<"void *">;
        fn realloc(arg1: Unresolved<"void *">, arg2: c_int) -> Unresolved<"void *">;
        fn realloc64(
            arg1: Unresolved<"void *">,
            arg2: c_ulonglong,
        ) -> Unresolved<"void *">;
        fn free(arg1: Unresolved<"void *">);
        fn msize(arg1: Unresolved<"void *">) -> c_ulonglong;
        fn memory_used() -> c_longlong;
        fn memory_highwater(resetFlag: c_int) -> c_longlong;
        fn randomness(N_: c_int, P_: Unresolved<"void *">);
        fn set_authorizer(
            arg1: &Sqlite3,
            xAuth: Unresolved<
                "int (*)(void *, int, const char *, const char *, const char *, const char *)",
            >,
            pUserData: Unresolved<"void *">,
        ) -> c_int;
        fn trace(
            arg1: &Sqlite3,
            xTrace: Unresolved<
                "void (*)(void *, const char *)",
                guess = "Callback<TraceXTrace, stored> with `arg2` its UserData, if C passes the callback `arg2` and no pointer of its own",
            >,
            arg2: Unresolved<
                "void *",
                guess = "UserData if C passes it to `xTrace` unchanged",
            >,
        ) -> Unresolved<"void *">;
        fn profile(
            arg1: &Sqlite3,
            xProfile: Unresolved<"void (*)(void *, const char *, sqlite3_uint64)">,
            arg2: Unresolved<"void *">,
        ) -> Unresolved<"void *">;
        fn trace_v2(
            arg1: &Sqlite3,
            uMask: c_uint,
            xCallback: Unresolved<"int (*)(unsigned int, void *, void *, void *)">,
            pCtx: Unresolved<"void *">,
        ) -> c_int;
        fn progress_handler(
            arg1: &Sqlite3,
            arg2: c_int,
            arg3: Unresolved<
                "int (*)(void *)",
                guess = "Callback<ProgressHandlerArg3, stored> with `arg4` its UserData, if C passes the callback `arg4` and no pointer of its own",
            >,
            arg4: Unresolved<
                "void *",
                guess = "UserData if C passes it to `arg3` unchanged",
            >,
        );
        fn open(filename: CStr, ppDb: Out<Owned<Sqlite3>>) -> c_int;
        fn open16(
            filename: Unresolved<"const void *">,
            ppDb: Unresolved<
                "sqlite3 **",
                guess = "Out<Owned<Sqlite3>> if C writes a new one there",
            >,
        ) -> c_int;
        fn open_v2(
            filename: CStr,
            ppDb: Out<Owned<Sqlite3>>,
            flags: c_int,
            zVfs: CStr,
        ) -> c_int;
        fn uri_parameter(z: &Filename, zParam: CStr) -> Borrowed<CStr>;
        fn uri_boolean(z: &Filename, zParam: CStr, bDefault: c_int) -> c_int;
        fn uri_int64(
            arg1: &Filename,
            arg2: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg3: c_longlong,
        ) -> c_longlong;
        fn uri_key(z: &Filename, N_: c_int) -> Borrowed<CStr>;
        fn filename_database(arg1: &Filename) -> Borrowed<CStr>;
        fn filename_journal(arg1: &Filename) -> Borrowed<CStr>;
        fn filename_wal(arg1: &Filename) -> Borrowed<CStr>;
        fn database_file_object(arg1: CStr) -> Unresolved<"sqlite3_file *">;
        fn create_filename(
            zDatabase: CStr,
            zJournal: CStr,
            zWal: CStr,
            nParam: c_int,
            azParam: Unresolved<"const char **">,
        ) -> Owned<Filename>;
        fn free_filename(arg1: Owned<Filename>);
        fn errcode(db: &Sqlite3) -> c_int;
        fn extended_errcode(db: &Sqlite3) -> c_int;
        fn errmsg(arg1: &Sqlite3) -> Borrowed<CStr>;
        fn errmsg16(arg1: &Sqlite3) -> Unresolved<"const void *">;
        fn errstr(arg1: c_int) -> Borrowed<CStr>;
        fn error_offset(db: &Sqlite3) -> c_int;
        fn limit(arg1: &Sqlite3, id: c_int, newVal: c_int) -> c_int;
        fn prepare(
            db: &Sqlite3,
            #[c_type = "const char *"]
            zSql: In<[u8], len = nByte>,
            nByte: c_int,
            ppStmt: Unresolved<
                "sqlite3_stmt **",
                guess = "Out<Owned<Stmt>> if C writes a new one there that keeps no pointer to the Sqlite3 it is given; Out<Owned<Stmt, parent = db>> if it keeps one",
            >,
            pzTail: Unresolved<"const char **">,
        ) -> c_int;
        fn prepare_v2(
            db: &Sqlite3,
            #[c_type = "const char *"]
            zSql: In<[u8], len = nByte>,
            nByte: c_int,
            ppStmt: Unresolved<
                "sqlite3_stmt **",
                guess = "Out<Owned<Stmt>> if C writes a new one there that keeps no pointer to the Sqlite3 it is given; Out<Owned<Stmt, parent = db>> if it keeps one",
            >,
            pzTail: Unresolved<"const char **">,
        ) -> c_int;
        fn prepare_v3(
            db: &Sqlite3,
            #[c_type = "const char *"]
            zSql: In<[u8], len = nByte>,
            nByte: c_int,
            prepFlags: c_uint,
            ppStmt: Unresolved<
                "sqlite3_stmt **",
                guess = "Out<Owned<Stmt>> if C writes a new one there that keeps no pointer to the Sqlite3 it is given; Out<Owned<Stmt, parent = db>> if it keeps one",
            >,
            pzTail: Unresolved<"const char **">,
        ) -> c_int;
        fn prepare16(
            db: &Sqlite3,
            #[c_type = "const void *"]
            zSql: In<[u8], len = nByte>,
            nByte: c_int,
            ppStmt: Unresolved<
                "sqlite3_stmt **",
                guess = "Out<Owned<Stmt>> if C writes a new one there",
            >,
            pzTail: Unresolved<"const void **">,
        ) -> c_int;
        fn prepare16_v2(
            db: &Sqlite3,
            #[c_type = "const void *"]
            zSql: In<[u8], len = nByte>,
            nByte: c_int,
            ppStmt: Unresolved<
                "sqlite3_stmt **",
                guess = "Out<Owned<Stmt>> if C writes a new one there",
            >,
            pzTail: Unresolved<"const void **">,
        ) -> c_int;
        fn prepare16_v3(
            db: &Sqlite3,
            #[c_type = "const void *"]
            zSql: In<[u8], len = nByte>,
            nByte: c_int,
            prepFlags: c_uint,
            ppStmt: Unresolved<
                "sqlite3_stmt **",
                guess = "Out<Owned<Stmt>> if C writes a new one there",
            >,
            pzTail: Unresolved<"const void **">,
        ) -> c_int;
        fn sql(pStmt: &Stmt) -> Borrowed<CStr>;
        fn expanded_sql(pStmt: &Stmt) -> Unresolved<"char *">;
        fn stmt_readonly(pStmt: &Stmt) -> c_int;
        fn stmt_isexplain(pStmt: &Stmt) -> c_int;
        fn stmt_busy(arg1: &Stmt) -> c_int;
        fn bind_blob(
            arg1: &Stmt,
            arg2: c_int,
            arg3: Unresolved<"const void *">,
            n: c_int,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg3` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        ) -> c_int;
        fn bind_blob64(
            arg1: &Stmt,
            arg2: c_int,
            arg3: Unresolved<"const void *">,
            arg4: c_ulonglong,
            arg5: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg3` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        ) -> c_int;
        fn bind_double(arg1: &Stmt, arg2: c_int, arg3: f64) -> c_int;
        fn bind_int(arg1: &Stmt, arg2: c_int, arg3: c_int) -> c_int;
        fn bind_int64(arg1: &Stmt, arg2: c_int, arg3: c_longlong) -> c_int;
        fn bind_null(arg1: &Stmt, arg2: c_int) -> c_int;
        fn bind_text(
            arg1: &Stmt,
            arg2: c_int,
            arg3: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg4: c_int,
            arg5: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg3` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        ) -> c_int;
        fn bind_text16(
            arg1: &Stmt,
            arg2: c_int,
            arg3: Unresolved<"const void *">,
            arg4: c_int,
            arg5: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg3` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        ) -> c_int;
        fn bind_text64(
            arg1: &Stmt,
            arg2: c_int,
            arg3: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg4: c_ulonglong,
            arg5: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg3` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
            encoding: c_uchar,
        ) -> c_int;
        fn bind_value(
            arg1: &Stmt,
            arg2: c_int,
            #[c_type = "const sqlite3_value *"]
            arg3: &Value,
        ) -> c_int;
        fn bind_pointer(
            arg1: &Stmt,
            arg2: c_int,
            arg3: Unresolved<"void *">,
            arg4: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg5: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg3` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `arg3` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
        fn bind_zeroblob(arg1: &Stmt, arg2: c_int, n: c_int) -> c_int;
        fn bind_zeroblob64(arg1: &Stmt, arg2: c_int, arg3: c_ulonglong) -> c_int;
        fn bind_parameter_count(arg1: &Stmt) -> c_int;
        fn bind_parameter_name(arg1: &Stmt, arg2: c_int) -> Borrowed<CStr>;
        fn bind_parameter_index(arg1: &Stmt, zName: CStr) -> c_int;
        fn clear_bindings(arg1: &Stmt) -> c_int;
        fn column_count(pStmt: &Stmt) -> c_int;
        fn column_name(arg1: &Stmt, N_: c_int) -> Borrowed<CStr>;
        fn column_name16(arg1: &Stmt, N_: c_int) -> Unresolved<"const void *">;
        fn column_database_name(arg1: &Stmt, arg2: c_int) -> Borrowed<CStr>;
        fn column_database_name16(
            arg1: &Stmt,
            arg2: c_int,
        ) -> Unresolved<"const void *">;
        fn column_table_name(arg1: &Stmt, arg2: c_int) -> Borrowed<CStr>;
        fn column_table_name16(arg1: &Stmt, arg2: c_int) -> Unresolved<"const void *">;
        fn column_origin_name(arg1: &Stmt, arg2: c_int) -> Borrowed<CStr>;
        fn column_origin_name16(arg1: &Stmt, arg2: c_int) -> Unresolved<"const void *">;
        fn column_decltype(arg1: &Stmt, arg2: c_int) -> Borrowed<CStr>;
        fn column_decltype16(arg1: &Stmt, arg2: c_int) -> Unresolved<"const void *">;
        fn step(arg1: &Stmt) -> c_int;
        fn data_count(pStmt: &Stmt) -> c_int;
        fn column_blob(arg1: &Stmt, iCol: c_int) -> Unresolved<"const void *">;
        fn column_double(arg1: &Stmt, iCol: c_int) -> f64;
        fn column_int(arg1: &Stmt, iCol: c_int) -> c_int;
        fn column_int64(arg1: &Stmt, iCol: c_int) -> c_longlong;
        fn column_text(arg1: &Stmt, iCol: c_int) -> Unresolved<"const unsigned char *">;
        fn column_text16(arg1: &Stmt, iCol: c_int) -> Unresolved<"const void *">;
        fn column_value(
            arg1: &Stmt,
            iCol: c_int,
        ) -> Unresolved<
            "sqlite3_value *",
            guess = "Owned<Value> if the caller frees it",
        >;
        fn column_bytes(arg1: &Stmt, iCol: c_int) -> c_int;
        fn column_bytes16(arg1: &Stmt, iCol: c_int) -> c_int;
        fn column_type(arg1: &Stmt, iCol: c_int) -> c_int;
        fn finalize(pStmt: Owned<Stmt>) -> c_int;
        fn reset(pStmt: &Stmt) -> c_int;
        fn create_function(
            db: &Sqlite3,
            zFunctionName: CStr,
            nArg: c_int,
            eTextRep: c_int,
            pApp: Unresolved<"void *">,
            xFunc: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xStep: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xFinal: Unresolved<
                "void (*)(sqlite3_context *)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given",
            >,
        ) -> c_int;
        fn create_function16(
            db: &Sqlite3,
            zFunctionName: Unresolved<"const void *">,
            nArg: c_int,
            eTextRep: c_int,
            pApp: Unresolved<"void *">,
            xFunc: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xStep: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xFinal: Unresolved<
                "void (*)(sqlite3_context *)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given",
            >,
        ) -> c_int;
        fn create_function_v2(
            db: &Sqlite3,
            zFunctionName: CStr,
            nArg: c_int,
            eTextRep: c_int,
            pApp: Unresolved<"void *">,
            xFunc: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xStep: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xFinal: Unresolved<
                "void (*)(sqlite3_context *)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given",
            >,
            xDestroy: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `pApp` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `pApp` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
        fn create_window_function(
            db: &Sqlite3,
            zFunctionName: CStr,
            nArg: c_int,
            eTextRep: c_int,
            pApp: Unresolved<"void *">,
            xStep: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xFinal: Unresolved<
                "void (*)(sqlite3_context *)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given",
            >,
            xValue: Unresolved<
                "void (*)(sqlite3_context *)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given",
            >,
            xInverse: Unresolved<
                "void (*)(sqlite3_context *, int, sqlite3_value **)",
                guess = "Callback<F, stored> with `type F = fn(#[user_data = f] arg1: &Context, arg2: c_int, arg3: In<[&Value], len = arg2>);` if the described `fn f(h: &Context) -> UserData` gives back the `void *` this function is given, and `arg2` counts `arg3` (a guess by its place)",
            >,
            xDestroy: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `pApp` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `pApp` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
        fn aggregate_count(arg1: &Context) -> c_int;
        fn expired(arg1: &Stmt) -> c_int;
        fn transfer_bindings(arg1: &Stmt, arg2: &Stmt) -> c_int;
        fn global_recover() -> c_int;
        fn memory_alarm(
            arg1: Unresolved<
                "void (*)(void *, sqlite3_int64, int)",
                guess = "Callback<MemoryAlarmArg1, stored> with `arg2` its UserData, if C passes the callback `arg2` and no pointer of its own",
            >,
            arg2: Unresolved<
                "void *",
                guess = "UserData if C passes it to `arg1` unchanged",
            >,
            arg3: c_longlong,
        ) -> c_int;
        fn value_blob(arg1: &Value) -> Unresolved<"const void *">;
        fn value_double(arg1: &Value) -> f64;
        fn value_int(arg1: &Value) -> c_int;
        fn value_int64(arg1: &Value) -> c_longlong;
        fn value_pointer(arg1: &Value, arg2: CStr) -> Unresolved<"void *">;
        fn value_text(arg1: &Value) -> Unresolved<"const unsigned char *">;
        fn value_text16(arg1: &Value) -> Unresolved<"const void *">;
        fn value_text16le(arg1: &Value) -> Unresolved<"const void *">;
        fn value_text16be(arg1: &Value) -> Unresolved<"const void *">;
        fn value_bytes(arg1: &Value) -> c_int;
        fn value_bytes16(arg1: &Value) -> c_int;
        fn value_type(arg1: &Value) -> c_int;
        fn value_numeric_type(arg1: &Value) -> c_int;
        fn value_nochange(arg1: &Value) -> c_int;
        fn value_frombind(arg1: &Value) -> c_int;
        fn value_encoding(arg1: &Value) -> c_int;
        fn value_subtype(arg1: &Value) -> c_uint;
        fn value_dup(#[c_type = "const sqlite3_value *"] arg1: &Value) -> Owned<Value>;
        fn value_free(arg1: Owned<Value>);
        fn aggregate_context(
            arg1: &Context,
            nBytes: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Context lent (a buffer a function of it returned), which C would read as far as it says",
            >,
        ) -> Unresolved<"void *">;
        fn user_data(arg1: &Context) -> Unresolved<"void *">;
        fn context_db_handle(
            arg1: &Context,
        ) -> Unresolved<"sqlite3 *", guess = "Owned<Sqlite3> if the caller frees it">;
        fn get_auxdata(
            arg1: &Context,
            N_: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Context lent (a buffer a function of it returned), which C would read as far as it says",
            >,
        ) -> Unresolved<"void *">;
        fn set_auxdata(
            arg1: &Context,
            N_: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Context lent (a buffer a function of it returned), which C would read as far as it says",
            >,
            arg2: Unresolved<"void *">,
            arg3: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `arg2` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        );
        fn result_blob(
            arg1: &Context,
            arg2: Unresolved<"const void *">,
            arg3: c_int,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        );
        fn result_blob64(
            arg1: &Context,
            arg2: Unresolved<"const void *">,
            arg3: c_ulonglong,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        );
        fn result_double(arg1: &Context, arg2: f64);
        fn result_error(
            arg1: &Context,
            arg2: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg3: c_int,
        );
        fn result_error16(arg1: &Context, arg2: Unresolved<"const void *">, arg3: c_int);
        fn result_error_toobig(arg1: &Context);
        fn result_error_nomem(arg1: &Context);
        fn result_error_code(arg1: &Context, arg2: c_int);
        fn result_int(arg1: &Context, arg2: c_int);
        fn result_int64(arg1: &Context, arg2: c_longlong);
        fn result_null(arg1: &Context);
        fn result_text(
            arg1: &Context,
            arg2: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg3: c_int,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        );
        fn result_text64(
            arg1: &Context,
            arg2: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg3: c_ulonglong,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
            encoding: c_uchar,
        );
        fn result_text16(
            arg1: &Context,
            arg2: Unresolved<"const void *">,
            arg3: c_int,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        );
        fn result_text16le(
            arg1: &Context,
            arg2: Unresolved<"const void *">,
            arg3: c_int,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        );
        fn result_text16be(
            arg1: &Context,
            arg2: Unresolved<"const void *">,
            arg3: c_int,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<V> with #[c_value = \"C\"] for a value C of its type that makes C copy the data before the call returns (the header defines SQLITE_STATIC as ((sqlite3_destructor_type)0), SQLITE_TRANSIENT as ((sqlite3_destructor_type)-1)); NULL, or a value saying the data is static, lets C keep a pointer into a buffer Rust frees after the call",
            >,
        );
        fn result_value(arg1: &Context, arg2: &Value);
        fn result_pointer(
            arg1: &Context,
            arg2: Unresolved<"void *">,
            arg3: CStr,
            arg4: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `arg2` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        );
        fn result_zeroblob(
            arg1: &Context,
            n: Unresolved<
                "int",
                guess = "c_int if it counts no memory a Context lent (a buffer a function of it returned), which C would read as far as it says",
            >,
        );
        fn result_zeroblob64(
            arg1: &Context,
            n: Unresolved<
                "sqlite3_uint64",
                guess = "c_ulonglong if it counts no memory a Context lent (a buffer a function of it returned), which C would read as far as it says",
            >,
        ) -> c_int;
        fn result_subtype(arg1: &Context, arg2: c_uint);
        fn create_collation(
            arg1: &Sqlite3,
            zName: CStr,
            eTextRep: c_int,
            pArg: Unresolved<"void *">,
            xCompare: Unresolved<"int (*)(void *, int, const void *, int, const void *)">,
        ) -> c_int;
        fn create_collation_v2(
            arg1: &Sqlite3,
            zName: CStr,
            eTextRep: c_int,
            pArg: Unresolved<"void *">,
            xCompare: Unresolved<
                "int (*)(void *, int, const void *, int, const void *)",
            >,
            xDestroy: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `pArg` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `pArg` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
        fn create_collation16(
            arg1: &Sqlite3,
            zName: Unresolved<"const void *">,
            eTextRep: c_int,
            pArg: Unresolved<"void *">,
            xCompare: Unresolved<"int (*)(void *, int, const void *, int, const void *)">,
        ) -> c_int;
        fn collation_needed(
            arg1: &Sqlite3,
            arg2: Unresolved<"void *">,
            arg3: Unresolved<"void (*)(void *, sqlite3 *, int, const char *)">,
        ) -> c_int;
        fn collation_needed16(
            arg1: &Sqlite3,
            arg2: Unresolved<"void *">,
            arg3: Unresolved<"void (*)(void *, sqlite3 *, int, const void *)">,
        ) -> c_int;
        fn sleep(arg1: c_int) -> c_int;
        fn win32_set_directory(type_: c_ulong, zValue: Unresolved<"void *">) -> c_int;
        fn win32_set_directory8(
            type_: c_ulong,
            zValue: Unresolved<
                "const char *",
                guess = "CStr if C is done with it when the call returns (it may keep the pointer)",
            >,
        ) -> c_int;
        fn win32_set_directory16(
            type_: c_ulong,
            zValue: Unresolved<"const void *">,
        ) -> c_int;
        fn get_autocommit(arg1: &Sqlite3) -> c_int;
        fn db_handle(
            arg1: &Stmt,
        ) -> Unresolved<"sqlite3 *", guess = "Owned<Sqlite3> if the caller frees it">;
        fn db_name(db: &Sqlite3, N_: c_int) -> Borrowed<CStr>;
        fn db_filename(db: &Sqlite3, zDbName: CStr) -> Borrowed<CStr>;
        fn db_readonly(db: &Sqlite3, zDbName: CStr) -> c_int;
        fn txn_state(arg1: &Sqlite3, zSchema: CStr) -> c_int;
        fn next_stmt(
            pDb: &Sqlite3,
            pStmt: &Stmt,
        ) -> Unresolved<"sqlite3_stmt *", guess = "Owned<Stmt> if the caller frees it">;
        fn commit_hook(
            arg1: &Sqlite3,
            arg2: Unresolved<
                "int (*)(void *)",
                guess = "Callback<ProgressHandlerArg3, stored> with `arg3` its UserData, if C passes the callback `arg3` and no pointer of its own",
            >,
            arg3: Unresolved<
                "void *",
                guess = "UserData if C passes it to `arg2` unchanged",
            >,
        ) -> Unresolved<"void *">;
        fn rollback_hook(
            arg1: &Sqlite3,
            arg2: Unresolved<
                "void (*)(void *)",
                guess = "Callback<BindBlobArg4, stored> with `arg3` its UserData, if C passes the callback `arg3` and no pointer of its own",
            >,
            arg3: Unresolved<
                "void *",
                guess = "UserData if C passes it to `arg2` unchanged",
            >,
        ) -> Unresolved<"void *">;
        fn autovacuum_pages(
            db: &Sqlite3,
            arg1: Unresolved<
                "unsigned int (*)(void *, const char *, unsigned int, unsigned int, unsigned int)",
            >,
            arg2: Unresolved<"void *">,
            arg3: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `arg2` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `arg2` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
        fn update_hook(
            arg1: &Sqlite3,
            arg2: Unresolved<
                "void (*)(void *, int, const char *, const char *, sqlite3_int64)",
            >,
            arg3: Unresolved<"void *">,
        ) -> Unresolved<"void *">;
        fn enable_shared_cache(arg1: c_int) -> c_int;
        fn release_memory(arg1: c_int) -> c_int;
        fn db_release_memory(
            arg1: Unresolved<
                "sqlite3 *",
                guess = "Owned<Sqlite3> if this frees it; &Sqlite3 if not",
            >,
        ) -> c_int;
        fn soft_heap_limit64(N_: c_longlong) -> c_longlong;
        fn hard_heap_limit64(N_: c_longlong) -> c_longlong;
        fn soft_heap_limit(N_: c_int);
        fn table_column_metadata(
            db: &Sqlite3,
            zDbName: CStr,
            zTableName: CStr,
            zColumnName: CStr,
            pzDataType: Unresolved<"const char **">,
            pzCollSeq: Unresolved<"const char **">,
            pNotNull: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            pPrimaryKey: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            pAutoinc: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
        ) -> c_int;
        fn load_extension(
            db: &Sqlite3,
            zFile: Unresolved<
                "const char *",
                guess = "CStr if C is done with it when the call returns (it may keep the pointer)",
            >,
            zProc: Unresolved<
                "const char *",
                guess = "CStr if C is done with it when the call returns (it may keep the pointer)",
            >,
            pzErrMsg: Unresolved<"char **">,
        ) -> c_int;
        fn enable_load_extension(db: &Sqlite3, onoff: c_int) -> c_int;
        fn auto_extension(xEntryPoint: Unresolved<"void (*)(void)">) -> c_int;
        fn cancel_auto_extension(xEntryPoint: Unresolved<"void (*)(void)">) -> c_int;
        fn reset_auto_extension();
        fn create_module(
            db: &Sqlite3,
            zName: CStr,
            p: Unresolved<"const sqlite3_module *">,
            pClientData: Unresolved<"void *">,
        ) -> c_int;
        fn create_module_v2(
            db: &Sqlite3,
            zName: CStr,
            p: Unresolved<"const sqlite3_module *">,
            pClientData: Unresolved<"void *">,
            xDestroy: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `pClientData` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `pClientData` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
        fn drop_modules(
            db: Unresolved<
                "sqlite3 *",
                guess = "Owned<Sqlite3> if this frees it; &Sqlite3 if not",
            >,
            azKeep: Unresolved<"const char **">,
        ) -> c_int;
        fn declare_vtab(arg1: &Sqlite3, zSQL: CStr) -> c_int;
        fn overload_function(arg1: &Sqlite3, zFuncName: CStr, nArg: c_int) -> c_int;
        fn blob_open(
            arg1: &Sqlite3,
            zDb: CStr,
            zTable: CStr,
            zColumn: CStr,
            iRow: c_longlong,
            flags: c_int,
            ppBlob: Unresolved<
                "sqlite3_blob **",
                guess = "Out<Owned<Blob>> if C writes a new one there that keeps no pointer to the Sqlite3 it is given; Out<Owned<Blob, parent = arg1>> if it keeps one",
            >,
        ) -> c_int;
        fn blob_reopen(arg1: &Blob, arg2: c_longlong) -> c_int;
        fn blob_close(arg1: Owned<Blob>) -> c_int;
        fn blob_bytes(arg1: &Blob) -> c_int;
        fn blob_read(
            arg1: &Blob,
            Z_: Unresolved<
                "void *",
                guess = "Out<[u8], cap = ..>: N_ × iOffset of them, a product no one parameter holds",
            >,
            N_: c_int,
            iOffset: c_int,
        ) -> c_int;
        fn blob_write(
            arg1: &Blob,
            z: Unresolved<
                "const void *",
                guess = "In<[u8], len = ..>: n × iOffset of them, a product no one parameter holds",
            >,
            n: c_int,
            iOffset: c_int,
        ) -> c_int;
        fn vfs_find(zVfsName: CStr) -> Unresolved<"sqlite3_vfs *">;
        fn vfs_register(arg1: Unresolved<"sqlite3_vfs *">, makeDflt: c_int) -> c_int;
        fn vfs_unregister(arg1: Unresolved<"sqlite3_vfs *">) -> c_int;
        fn mutex_alloc(
            arg1: c_int,
        ) -> Unresolved<
            "sqlite3_mutex *",
            guess = "Owned<Mutex> if the caller frees it",
        >;
        fn mutex_free(arg1: Owned<Mutex>);
        fn mutex_enter(arg1: &Mutex);
        fn mutex_try(arg1: &Mutex) -> c_int;
        fn mutex_leave(arg1: &Mutex);
        fn mutex_held(arg1: &Mutex) -> c_int;
        fn mutex_notheld(arg1: &Mutex) -> c_int;
        fn db_mutex(
            arg1: &Sqlite3,
        ) -> Unresolved<
            "sqlite3_mutex *",
            guess = "Owned<Mutex> if the caller frees it",
        >;
        fn file_control(
            arg1: &Sqlite3,
            zDbName: CStr,
            op: c_int,
            arg2: Unresolved<"void *">,
        ) -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 1)]
        fn test_control(
            op: Unresolved<
                "int",
                guess = "c_int if C reads no argument after it, whatever its value (this call passes none); each use that passes more is its own #[variadic(fixed = N)] function",
            >,
        ) -> c_int;
        fn keyword_count() -> c_int;
        fn keyword_name(
            arg1: c_int,
            arg2: Unresolved<"const char **">,
            arg3: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
        ) -> c_int;
        fn keyword_check(
            arg1: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg2: c_int,
        ) -> c_int;
        fn str_new(
            arg1: &Sqlite3,
        ) -> Unresolved<
            "sqlite3_str *",
            guess = "Owned<Str> if the caller frees it and it keeps no pointer to the Sqlite3 it is given; Owned<Str, parent = arg1> if it keeps one",
        >;
        fn str_finish(arg1: Owned<Str>) -> Unresolved<"char *">;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 2)]
        fn str_appendf(
            arg1: &Str,
            zFormat: Unresolved<
                "const char *",
                guess = "CStr if it is no format; a format is described with its arguments, one #[variadic(fixed = N)] function per use",
            >,
        );
        fn str_append(
            arg1: &Str,
            zIn: Unresolved<
                "const char *",
                guess = "In<[u8], len = N_> if C is done with it when the call returns (it may keep the pointer)",
            >,
            N_: c_int,
        );
        fn str_appendall(arg1: &Str, zIn: CStr);
        fn str_appendchar(arg1: &Str, N_: c_int, C_: c_char);
        fn str_reset(arg1: &Str);
        fn str_errcode(arg1: &Str) -> c_int;
        fn str_length(arg1: &Str) -> c_int;
        fn str_value(arg1: &Str) -> Unresolved<"char *">;
        fn status(
            op: c_int,
            pCurrent: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            pHighwater: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            resetFlag: c_int,
        ) -> c_int;
        fn status64(
            op: c_int,
            pCurrent: Unresolved<
                "sqlite3_int64 *",
                guess = "Out<c_longlong> if C writes one; InOut<c_longlong> if it reads it too",
            >,
            pHighwater: Unresolved<
                "sqlite3_int64 *",
                guess = "Out<c_longlong> if C writes one; InOut<c_longlong> if it reads it too",
            >,
            resetFlag: c_int,
        ) -> c_int;
        fn db_status(
            arg1: &Sqlite3,
            op: c_int,
            pCur: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            pHiwtr: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            resetFlg: c_int,
        ) -> c_int;
        fn stmt_status(arg1: &Stmt, op: c_int, resetFlg: c_int) -> c_int;
        fn backup_init(
            pDest: &Sqlite3,
            zDestName: CStr,
            pSource: &Sqlite3,
            zSourceName: CStr,
        ) -> Unresolved<
            "sqlite3_backup *",
            guess = "Owned<Backup> if the caller frees it",
        >;
        fn backup_step(p: &Backup, nPage: c_int) -> c_int;
        fn backup_finish(p: Owned<Backup>) -> c_int;
        fn backup_remaining(p: &Backup) -> c_int;
        fn backup_pagecount(p: &Backup) -> c_int;
        fn unlock_notify(
            pBlocked: &Sqlite3,
            xNotify: Unresolved<"void (*)(void **, int)">,
            pNotifyArg: Unresolved<"void *">,
        ) -> c_int;
        fn stricmp(arg1: CStr, arg2: CStr) -> c_int;
        fn strnicmp(
            arg1: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg2: Unresolved<
                "const char *",
                guess = "CStr if it is NUL-terminated; else bytes whose count no parameter is named for",
            >,
            arg3: c_int,
        ) -> c_int;
        fn strglob(zGlob: CStr, zStr: CStr) -> c_int;
        fn strlike(zGlob: CStr, zStr: CStr, cEsc: c_uint) -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 2)]
        fn log(
            iErrCode: c_int,
            zFormat: Unresolved<
                "const char *",
                guess = "CStr if it is no format; a format is described with its arguments, one #[variadic(fixed = N)] function per use",
            >,
        );
        fn wal_hook(
            arg1: &Sqlite3,
            arg2: Unresolved<"int (*)(void *, sqlite3 *, const char *, int)">,
            arg3: Unresolved<"void *">,
        ) -> Unresolved<"void *">;
        fn wal_autocheckpoint(db: &Sqlite3, N_: c_int) -> c_int;
        fn wal_checkpoint(db: &Sqlite3, zDb: CStr) -> c_int;
        fn wal_checkpoint_v2(
            db: &Sqlite3,
            zDb: CStr,
            eMode: c_int,
            pnLog: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
            pnCkpt: Unresolved<
                "int *",
                guess = "Out<c_int> if C writes one; InOut<c_int> if it reads it too",
            >,
        ) -> c_int;
        /// Variadic in C: this draft describes the call with no extra argument.
        /// Describe each other use as its own function with #[variadic(fixed = N)].
        #[variadic(fixed = 2)]
        fn vtab_config(
            arg1: &Sqlite3,
            op: Unresolved<
                "int",
                guess = "c_int if C reads no argument after it, whatever its value (this call passes none); each use that passes more is its own #[variadic(fixed = N)] function",
            >,
        ) -> c_int;
        fn vtab_on_conflict(arg1: &Sqlite3) -> c_int;
        fn vtab_nochange(arg1: &Context) -> c_int;
        fn vtab_collation(
            arg1: Unresolved<"sqlite3_index_info *">,
            arg2: c_int,
        ) -> Borrowed<CStr>;
        fn vtab_distinct(arg1: Unresolved<"sqlite3_index_info *">) -> c_int;
        fn vtab_in(
            arg1: Unresolved<"sqlite3_index_info *">,
            iCons: c_int,
            bHandle: c_int,
        ) -> c_int;
        fn vtab_in_first(
            pVal: &Value,
            ppOut: Unresolved<
                "sqlite3_value **",
                guess = "Out<Owned<Value>> if C writes a new one there",
            >,
        ) -> c_int;
        fn vtab_in_next(
            pVal: &Value,
            ppOut: Unresolved<
                "sqlite3_value **",
                guess = "Out<Owned<Value>> if C writes a new one there",
            >,
        ) -> c_int;
        fn vtab_rhs_value(
            arg1: Unresolved<"sqlite3_index_info *">,
            arg2: c_int,
            ppVal: Unresolved<
                "sqlite3_value **",
                guess = "Out<Owned<Value>> if C writes a new one there",
            >,
        ) -> c_int;
        fn stmt_scanstatus(
            pStmt: &Stmt,
            idx: c_int,
            iScanStatusOp: c_int,
            pOut: Unresolved<"void *">,
        ) -> c_int;
        fn stmt_scanstatus_reset(arg1: &Stmt);
        fn db_cacheflush(arg1: &Sqlite3) -> c_int;
        fn system_errno(arg1: &Sqlite3) -> c_int;
        fn snapshot_get(
            db: &Sqlite3,
            zSchema: CStr,
            ppSnapshot: Unresolved<
                "sqlite3_snapshot **",
                guess = "Out<Owned<Snapshot>> if C writes a new one there",
            >,
        ) -> c_int;
        fn snapshot_open(db: &Sqlite3, zSchema: CStr, pSnapshot: &Snapshot) -> c_int;
        fn snapshot_free(arg1: Owned<Snapshot>);
        fn snapshot_cmp(p1: &Snapshot, p2: &Snapshot) -> c_int;
        fn snapshot_recover(db: &Sqlite3, zDb: CStr) -> c_int;
        fn serialize(
            db: &Sqlite3,
            zSchema: CStr,
            piSize: Unresolved<
                "sqlite3_int64 *",
                guess = "Out<c_longlong> if C writes one; InOut<c_longlong> if it reads it too",
            >,
            mFlags: c_uint,
        ) -> Unresolved<"unsigned char *">;
        fn deserialize(
            db: &Sqlite3,
            zSchema: CStr,
            pData: Unresolved<"unsigned char *">,
            szDb: c_longlong,
            szBuf: c_longlong,
            mFlags: c_uint,
        ) -> c_int;
        fn rtree_geometry_callback(
            db: &Sqlite3,
            zGeom: CStr,
            xGeom: Unresolved<
                "int (*)(sqlite3_rtree_geometry *, int, sqlite3_rtree_dbl *, int *)",
            >,
            pContext: Unresolved<"void *">,
        ) -> c_int;
        fn rtree_query_callback(
            db: &Sqlite3,
            zQueryFunc: CStr,
            xQueryFunc: Unresolved<"int (*)(sqlite3_rtree_query_info *)">,
            pContext: Unresolved<"void *">,
            xDestructor: Unresolved<
                "void (*)(void *)",
                guess = "the destructor C calls with `pContext` once done with it: Sentinel<0> (NULL: no call) with #[c_type = \"void (*)(void *)\"] when nothing passed as `pContext` is C's to free (the linkage keeps a stored closure's user data itself)",
            >,
        ) -> c_int;
    }
}

// Not imported (30):
// - struct `sqlite3_file`: field `pMethods` is a pointer (`const struct sqlite3_io_methods *`): a described struct holds values only
// - struct `sqlite3_io_methods`: field `xClose` is a pointer (`int (*)(sqlite3_file *)`): a described struct holds values only
// - struct `sqlite3_vfs`: field `pNext` is a pointer (`sqlite3_vfs *`): a described struct holds values only
// - struct `sqlite3_mem_methods`: field `xMalloc` is a pointer (`void *(*)(int)`): a described struct holds values only
// - struct `sqlite3_module`: field `xCreate` is a pointer (`int (*)(sqlite3 *, void *, int, const char *const *, sqlite3_vtab **, char **)`): a described struct holds values only
// - struct `sqlite3_index_info`: field `aConstraint` is a pointer (`struct sqlite3_index_constraint *`): a described struct holds values only
// - struct `sqlite3_vtab`: field `pModule` is a pointer (`const sqlite3_module *`): a described struct holds values only
// - struct `sqlite3_vtab_cursor`: field `pVtab` is a pointer (`sqlite3_vtab *`): a described struct holds values only
// - struct `sqlite3_mutex_methods`: field `xMutexInit` is a pointer (`int (*)(void)`): a described struct holds values only
// - struct `sqlite3_pcache_page`: field `pBuf` is a pointer (`void *`): a described struct holds values only
// - struct `sqlite3_pcache_methods2`: field `pArg` is a pointer (`void *`): a described struct holds values only
// - struct `sqlite3_pcache_methods`: field `pArg` is a pointer (`void *`): a described struct holds values only
// - struct `sqlite3_rtree_geometry`: field `pContext` is a pointer (`void *`): a described struct holds values only
// - struct `sqlite3_rtree_query_info`: field `pContext` is a pointer (`void *`): a described struct holds values only
// - struct `Fts5PhraseIter`: field `a` is a pointer (`const unsigned char *`): a described struct holds values only
// - struct `Fts5ExtensionApi`: field `xUserData` is a pointer (`void *(*)(Fts5Context *)`): a described struct holds values only
// - struct `fts5_tokenizer`: field `xCreate` is a pointer (`int (*)(void *, const char **, int, Fts5Tokenizer **)`): a described struct holds values only
// - struct `fts5_api`: field `xCreateTokenizer` is a pointer (`int (*)(fts5_api *, const char *, void *, fts5_tokenizer *, void (*)(void *))`): a described struct holds values only
// - struct `__va_list_tag`: field `overflow_arg_area` is a pointer (`void *`): a described struct holds values only
// - callback type `sqlite3_callback`: parameter `arg3` is `char **`, which a callback cannot describe
// - callback type `sqlite3_syscall_ptr`: it has 0 `void *` parameters; a described callback has exactly one, its user data
// - callback type `fts5_extension_function`: it has 0 `void *` parameters; a described callback has exactly one, its user data
// - function `sqlite3_shutdown`: its name says it may end the library's state, after which a living handle would dangle: a safe function cannot forbid calling it first, so describe it by hand if a program must
// - function `sqlite3_vmprintf`: parameter `arg2` is a va_list
// - function `sqlite3_vsnprintf`: parameter `arg4` is a va_list
// - function `sqlite3_thread_cleanup`: its name says it may end the library's state, after which a living handle would dangle: a safe function cannot forbid calling it first, so describe it by hand if a program must
// - function `sqlite3_str_vappendf`: parameter `arg2` is a va_list
// - variable `sqlite3_version`: a global variable: a description holds functions, types and constants
// - variable `sqlite3_temp_directory`: a global variable: a description holds functions, types and constants
// - variable `sqlite3_data_directory`: a global variable: a description holds functions, types and constants
