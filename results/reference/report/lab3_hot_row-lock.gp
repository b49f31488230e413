set datafile missing 'nan'
set grid
set samples 400
set logscale x 2
set xrange [0.714286:11.200000]
set xtics (1, 2, 4, 8)
set terminal pngcairo size 1400,925 noenhanced
set output 'lab3_hot_row-lock-throughput.png'
set ylabel 'goodput, increments/s kept, log scale'
set logscale y
set yrange [753.957:1.00568e+08]
set lmargin at screen 0.070
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 4.73757e+07*x/(1+1*(x-1)+1.84703*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 4.73533e+07*x/(1+0.545505*(x-1)+0.023191*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 9520.14*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 11419.5*x/(1+0.227756*(x-1)+0.0381788*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 5186.91*x/(1+0*(x-1)+0.187106*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 8097.56*x/(1+0*(x-1)+0.0476856*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 2157.23*x/(1+0.25445*(x-1)+0.0421821*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024', 4584.61*x/(1+0.025237*(x-1)+0.0525346*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 2056.74*x/(1+1*(x-1)+0.0785558*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 87670.7*x/(1+1*(x-1)+0.0919598*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 1630.17*x/(1+0.89449*(x-1)+0.0445297*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 91051*x/(1+1*(x-1)+0.112917*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 1607.02*x/(1+0.844645*(x-1)+0.0679621*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 8198.45*x/(1+1*(x-1)+0.0236862*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 1660.2*x/(1+1*(x-1)+0.0468622*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]', 7993.04*x/(1+1*(x-1)+0.0181938*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1400,925 noenhanced
set output 'lab3_hot_row-lock-throughput.svg'
set ylabel 'goodput, increments/s kept, log scale'
set logscale y
set yrange [753.957:1.00568e+08]
set lmargin at screen 0.070
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: goodput, increments/s kept\none run a point: repeat runs for their spread; thin dashed: USL fit; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 4.73757e+07*x/(1+1*(x-1)+1.84703*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 4.73533e+07*x/(1+0.545505*(x-1)+0.023191*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 9520.14*x/(1+1*(x-1)+0*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 11419.5*x/(1+0.227756*(x-1)+0.0381788*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 5186.91*x/(1+0*(x-1)+0.187106*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 8097.56*x/(1+0*(x-1)+0.0476856*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 2157.23*x/(1+0.25445*(x-1)+0.0421821*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024', 4584.61*x/(1+0.025237*(x-1)+0.0525346*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:26:27:28 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 2056.74*x/(1+1*(x-1)+0.0785558*x*(x-1)) with lines lc rgb '#1f77b4' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:26:27:28 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 87670.7*x/(1+1*(x-1)+0.0919598*x*(x-1)) with lines lc rgb '#d62728' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:26:27:28 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 1630.17*x/(1+0.89449*(x-1)+0.0445297*x*(x-1)) with lines lc rgb '#2ca02c' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:26:27:28 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 91051*x/(1+1*(x-1)+0.112917*x*(x-1)) with lines lc rgb '#9467bd' lw 1 dt 2 title 'fit: sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:26:27:28 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 1607.02*x/(1+0.844645*(x-1)+0.0679621*x*(x-1)) with lines lc rgb '#8c564b' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:26:27:28 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 8198.45*x/(1+1*(x-1)+0.0236862*x*(x-1)) with lines lc rgb '#e377c2' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:26:27:28 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 1660.2*x/(1+1*(x-1)+0.0468622*x*(x-1)) with lines lc rgb '#404040' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:26:27:28 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]', 7993.04*x/(1+1*(x-1)+0.0181938*x*(x-1)) with lines lc rgb '#ff7f0e' lw 1 dt 2 title 'fit: sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1400,925 noenhanced
set output 'lab3_hot_row-lock-p99.png'
set ylabel 'p99 service time (us), log scale'
set logscale y
set yrange [0.040625:283535]
set lmargin at screen 0.070
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1400,925 noenhanced
set output 'lab3_hot_row-lock-p99.svg'
set ylabel 'p99 service time (us), log scale'
set logscale y
set yrange [0.040625:283535]
set lmargin at screen 0.070
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: p99 service time (us)\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:5:6:7 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:5:6:7 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:5:6:7 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:5:6:7 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:5:6:7 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:5:6:7 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:5:6:7 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:5:6:7 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal pngcairo size 1400,925 noenhanced
set output 'lab3_hot_row-lock-retries.png'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:5952.94]
set lmargin at screen 0.070
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
set terminal svg size 1400,925 noenhanced
set output 'lab3_hot_row-lock-retries.svg'
set ylabel 'retries per 1,000 operations'
unset logscale y
set yrange [0:5952.94]
set lmargin at screen 0.070
set rmargin at screen 0.640
set multiplot title "lab3_hot_row / lock: retries per 1,000 operations\none run a point: repeat runs for their spread; the panels share their axes"
unset arrow
unset label
set tmargin at screen 0.8973
set bmargin at screen 0.5514
set key at screen 0.660, screen 0.8973 left top Left reverse samplen 2
set title 'inproc, postgres'
set xlabel ''
plot 'lab3_hot_row-lock.dat' index 0 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'inproc hold=0us keys=1', 'lab3_hot_row-lock.dat' index 1 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'inproc hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 2 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'inproc hold=100us keys=1', 'lab3_hot_row-lock.dat' index 3 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'inproc hold=100us keys=1024', 'lab3_hot_row-lock.dat' index 4 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'postgres hold=0us keys=1', 'lab3_hot_row-lock.dat' index 5 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'postgres hold=0us keys=1024', 'lab3_hot_row-lock.dat' index 6 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'postgres hold=100us keys=1', 'lab3_hot_row-lock.dat' index 7 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'postgres hold=100us keys=1024'
unset arrow
unset label
set tmargin at screen 0.4270
set bmargin at screen 0.0811
set key at screen 0.660, screen 0.4270 left top Left reverse samplen 2
set title 'sqlite'
set xlabel 'workers, log scale'
plot 'lab3_hot_row-lock.dat' index 8 using 1:8:9:10 with yerrorlines pt 7 lc rgb '#1f77b4' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 9 using 1:8:9:10 with yerrorlines pt 5 lc rgb '#d62728' lw 2 dt 1 title 'sqlite hold=0us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 10 using 1:8:9:10 with yerrorlines pt 9 lc rgb '#2ca02c' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 11 using 1:8:9:10 with yerrorlines pt 11 lc rgb '#9467bd' lw 2 dt 1 title 'sqlite hold=0us keys=1024 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 12 using 1:8:9:10 with yerrorlines pt 13 lc rgb '#8c564b' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 13 using 1:8:9:10 with yerrorlines pt 3 lc rgb '#e377c2' lw 2 dt 1 title 'sqlite hold=100us keys=1 [journal_mode=wal]', 'lab3_hot_row-lock.dat' index 14 using 1:8:9:10 with yerrorlines pt 1 lc rgb '#404040' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=delete]', 'lab3_hot_row-lock.dat' index 15 using 1:8:9:10 with yerrorlines pt 2 lc rgb '#ff7f0e' lw 2 dt 1 title 'sqlite hold=100us keys=1024 [journal_mode=wal]'
unset multiplot
