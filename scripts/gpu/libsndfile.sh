# Sourced by the scripts here, from the repository root: a machine without libsndfile1 (no apt there) gets the copy
# prepare.sh --with-libsndfile put in .gpu/lib.
if [ -d .gpu/lib ] && ! ldconfig -p | grep -q libsndfile.so.1; then
  export KANADE_LIBSNDFILE=$PWD/.gpu/lib/libsndfile.so.1 LD_LIBRARY_PATH=$PWD/.gpu/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
