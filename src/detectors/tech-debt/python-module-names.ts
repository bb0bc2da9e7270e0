/** Distributions whose import name is not derivable from the distribution name. */
const KNOWN: Readonly<Record<string, readonly string[]>> = {
  pyyaml: ['yaml'],
  beautifulsoup4: ['bs4'],
  pillow: ['pil'],
  'python-dateutil': ['dateutil'],
  'scikit-learn': ['sklearn'],
  'scikit-image': ['skimage'],
  'opencv-python': ['cv2'],
  'opencv-python-headless': ['cv2'],
  'opencv-contrib-python': ['cv2'],
  protobuf: ['google'],
  pyjwt: ['jwt'],
  attrs: ['attr', 'attrs'],
  djangorestframework: ['rest_framework'],
  'djangorestframework-simplejwt': ['rest_framework_simplejwt'],
  'django-cors-headers': ['corsheaders'],
  'django-filter': ['django_filters'],
  'django-environ': ['environ'],
  'django-storages': ['storages'],
  'python-multipart': ['multipart', 'python_multipart'],
  pymongo: ['pymongo', 'bson', 'gridfs'],
  pyzmq: ['zmq'],
  pycryptodome: ['crypto'],
  pycryptodomex: ['cryptodome'],
  pyopenssl: ['openssl'],
  dnspython: ['dns'],
  pyserial: ['serial'],
  setuptools: ['setuptools', 'pkg_resources'],
  'ruamel-yaml': ['ruamel'],
  'websocket-client': ['websocket'],
  'python-socketio': ['socketio'],
  'python-telegram-bot': ['telegram'],
  'google-api-python-client': ['googleapiclient'],
  grpcio: ['grpc'],
  'grpcio-tools': ['grpc_tools'],
  'mysql-connector-python': ['mysql'],
  'opensearch-py': ['opensearchpy'],
  'elasticsearch-dsl': ['elasticsearch_dsl'],
  'discord-py': ['discord'],
  'msgpack-python': ['msgpack'],
  'typing-extensions': ['typing_extensions'],
  'importlib-metadata': ['importlib_metadata'],
  'tensorflow-gpu': ['tensorflow'],
  'tensorflow-cpu': ['tensorflow'],
  'faiss-cpu': ['faiss'],
  'faiss-gpu': ['faiss'],
  'markdown-it-py': ['markdown_it'],
  'python-levenshtein': ['levenshtein'],
  'python-slugify': ['slugify'],
  'python-json-logger': ['pythonjsonlogger'],
  'email-validator': ['email_validator'],
  'sentry-sdk': ['sentry_sdk'],
  'azure-storage-blob': ['azure'],
  'python-docx': ['docx'],
  'python-pptx': ['pptx'],
  pypdf2: ['pypdf2'],
  pymupdf: ['fitz', 'pymupdf'],
  'apache-airflow': ['airflow'],
  pyqt5: ['pyqt5'],
  pywin32: ['win32api', 'win32con', 'win32com', 'pywintypes'],
  uvicorn: ['uvicorn'],
};

/**
 * Module names a Python distribution is likely imported as (lower case). The first is the direct
 * translation (`-` → `_`); `direct` tells whether that is all there is, or the list was guessed.
 */
export function pythonModuleNames(distribution: string): { names: string[]; direct: boolean } {
  const name = distribution.toLowerCase();
  const known = KNOWN[name];
  if (known) return { names: [...known], direct: false };
  const names = new Set<string>([name.replace(/-/g, '_')]);
  const stripped = name
    .replace(/^(?:python|py)-/, '')
    .replace(/-(?:python|py|binary|sdk|client|lib)$/, '')
    .replace(/^django-/, 'django_');
  names.add(stripped.replace(/-/g, '_'));
  if (/^py[a-z]{3,}$/.test(name)) names.add(name.slice(2));
  const [head] = name.split('-');
  if (head && head !== name && head.length >= 3) names.add(head);
  names.add(name.replace(/-/g, ''));
  return { names: [...names], direct: names.size === 1 || !name.includes('-') };
}
