package dev.seedling.data.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The fixed vocabulary of the demo world: equipment types with their components, specification ranges, routine
 * tasks and fault templates, written as a small line-oriented text so that the data reads like a parts catalogue.
 * {@link DemoDomain} draws concrete models from it with a seeded RNG.
 *
 * <p>Line kinds: {@code type NOUN | CODE-DIGIT | ASSET-PREFIX}, {@code components a; b},
 * {@code routine a; b}, {@code spec KEY | LABEL | UNIT | VALUES} (VALUES is {@code 3, 4, 5.5} or
 * {@code MIN..MAX/STEP}; a UNIT starting with {@code :} is glued to the number), {@code temp LABEL | LOWS | HIGHS},
 * {@code fault TITLE | COMPONENT | PROCEDURE TITLE}, then {@code tools}, {@code symptom}, {@code cause} and
 * {@code step} lines. Exactly one step per fault holds a value placeholder {@code {UNIT|MIN..MAX/STEP|LABEL}}.
 */
final class DemoCatalog {
    private DemoCatalog() {}

    record SpecTemplate(String key, String label, String unit, String values) {}

    record FaultTemplate(String title, String component, String procedure, List<String> tools,
                         List<String> symptoms, List<String> causes, List<String> steps) {}

    record TypeTemplate(String noun, int codeDigit, String assetPrefix, List<String> components,
                        List<String> routine, List<SpecTemplate> specs, String tempLabel, String tempLows,
                        String tempHighs, List<FaultTemplate> faults) {}

    /** Invented brands with their model-code prefixes; none is meant to name a real company. */
    static final List<String[]> BRANDS = List.of(
            new String[] {"Kestrel", "KX"}, new String[] {"Halvard", "HV"}, new String[] {"Varnholt", "VH"},
            new String[] {"Ondrell", "ON"}, new String[] {"Quillon", "QL"}, new String[] {"Sarrat", "SR"},
            new String[] {"Corvath", "CV"}, new String[] {"Isenmark", "IM"}, new String[] {"Lumarc", "LX"},
            new String[] {"Tavrin", "TR"}, new String[] {"Pellisar", "PL"}, new String[] {"Ostravek", "OV"});

    static final List<Integer> MODEL_NUMBERS = List.of(9, 12, 40, 55, 90, 120, 160, 200, 250, 310, 450, 600, 750,
            900, 1200);

    static final List<String> SITES = List.of(
            "Northfield water treatment works", "Brackwater paper mill", "Dunmore cold store",
            "Eastmere bottling plant", "Harrowby foundry", "Linthorpe chemical works", "Saltcote ferry terminal",
            "Wrenfield hospital energy centre", "Caddick Lane depot", "Ashby Moor quarry");

    /** Technician names; initials are derived from them. */
    static final List<String> TECHNICIANS = List.of(
            "Jonas Meyrick", "Ruth Kellaway", "Amara Osei", "Tomasz Wielgosz", "Helen Strand", "Dev Raman",
            "Carla Bianchi", "Niall Forde", "Ingrid Solberg", "Marcus Lyle");

    static final String TEXT = """
            type centrifugal pump | 2 | P
            components mechanical seal; impeller; impeller wear ring; drive-end bearing; non-drive-end bearing; motor windings; flexible coupling; discharge pressure switch; casing gasket; suction strainer
            routine greased the drive-end and non-drive-end bearings; checked the mechanical seal for leaks; checked coupling alignment; cleaned the suction strainer; measured motor current on all phases; recorded vibration at both bearings
            spec rated_power | rated power | kW | 3, 4, 5.5, 7.5, 11, 15, 18.5, 22, 30, 37, 45
            spec max_pressure | maximum discharge pressure | bar | 6, 8, 10, 12, 16
            spec flow | rated flow | m³/h | 12, 18, 25, 40, 60, 90, 120, 160, 220
            spec speed | rated speed | rpm | 1450, 2900
            spec service_interval | service interval | h | 2000, 3000, 4000, 6000, 8000
            spec impeller_nut_torque | impeller nut torque | N·m | 40..120/5
            spec coupling_bolt_torque | coupling bolt torque | N·m | 25..80/5
            temp operating temperature range | -20, -10, -5, 0 | 60, 80, 90, 110, 120

            fault mechanical seal leakage | mechanical seal | Replacing the mechanical seal
            tools torque wrench; seal setting gauge; soft-faced mallet
            symptom liquid dripping from the seal housing
            symptom a wet patch under the bearing frame
            symptom a rising seal chamber temperature
            cause worn mechanical seal faces
            cause dry running that cracked the seal faces
            step Isolate the motor and lock out the supply at the local isolator.
            step Close the suction and discharge valves and drain the pump casing.
            step Remove the coupling spacer and withdraw the back pull-out assembly.
            step Slide the old seal off the shaft sleeve and check the sleeve for scoring.
            step Fit the new seal and tighten the gland nuts to {N·m|15..40/5|gland nut torque}.
            step Refill and vent the casing, then run the pump for 15 minutes and check the seal for leaks.

            fault low discharge pressure | impeller wear ring | Renewing the impeller wear ring
            tools internal micrometer; ring puller; feeler gauge
            symptom discharge pressure below the setpoint
            symptom flow falling by 15 to 20 percent
            symptom longer tank filling times
            cause worn impeller wear ring
            cause erosion of the wear ring by abrasive solids
            step Lock out the motor and drain the pump casing.
            step Withdraw the rotating assembly and remove the impeller.
            step Pull the old wear ring with the ring puller and clean the seat.
            step Press in the new wear ring and measure the diametral clearance, which must be {mm|0.25..0.60/0.05|wear ring diametral clearance}.
            step Refit the impeller and the rotating assembly and check that the shaft turns freely by hand.

            fault drive-end bearing overtemperature | drive-end bearing | Replacing the drive-end bearing
            tools bearing puller; induction heater; grease gun
            symptom a bearing housing temperature above 85 °C
            symptom a high-pitched whine from the drive end
            symptom discoloured grease at the bearing cap
            cause over-greasing of the drive-end bearing
            cause water contamination of the bearing grease
            step Lock out the motor and remove the coupling guard.
            step Remove the bearing cap and pull the old bearing with the bearing puller.
            step Heat the new bearing on the induction heater to {°C|100..120/5|bearing fitting temperature} and slide it onto the shaft.
            step Pack the bearing one-third full with fresh grease and refit the cap.
            step Run the pump and confirm that the housing temperature settles below 70 °C within one hour.

            fault cavitation | impeller | Clearing suction-side cavitation
            tools differential pressure gauge; strainer basket wrench
            symptom a crackling noise like gravel passing through the casing
            symptom fluctuating discharge pressure
            symptom pitting on the impeller vanes
            cause a clogged suction strainer
            cause a partly closed suction valve starving the impeller
            step Check the suction pressure against the minimum of {bar|0.3..1.2/0.1|minimum suction pressure}.
            step Isolate the pump and open the suction strainer housing.
            step Clean or replace the strainer basket.
            step Inspect the impeller vanes and replace the impeller if pits are deeper than 2 mm.
            step Restart and confirm that the noise has stopped and the discharge pressure is steady.

            fault motor overload trip | motor windings | Testing the pump motor
            tools insulation resistance tester; clamp meter
            symptom the overload relay tripping within minutes of start
            symptom a motor current 20 percent above nameplate
            symptom a burnt smell at the terminal box
            cause a shorted turn in the motor windings
            cause moisture ingress into the motor windings
            step Isolate and lock out the motor, then prove it dead at the terminal box.
            step Disconnect the supply cables and test the winding insulation at 500 V DC.
            step Reject the motor if the insulation resistance is below {MΩ|2..10/1|minimum insulation resistance}.
            step Send the motor for rewinding or fit the spare motor.
            step Reconnect, check the direction of rotation and measure the running current on all three phases.

            fault high vibration | flexible coupling | Realigning the coupling
            tools laser alignment tool; dial indicator; shim set
            symptom vibration above 7 mm/s at the drive end
            symptom elastomer dust under the coupling guard
            symptom a rhythmic knocking at running speed
            cause angular misalignment of the coupling
            cause a worn coupling element
            step Lock out the motor and remove the coupling guard.
            step Mount the laser alignment tool on both shaft ends.
            step Shim the motor feet until the offset is within {mm|0.03..0.10/0.01|shaft alignment tolerance}.
            step Tighten the motor hold-down bolts and check the alignment again.
            step Refit the guard and measure the vibration at the drive end after 30 minutes of running.

            fault no start on demand | discharge pressure switch | Replacing the discharge pressure switch
            tools calibrated test gauge; small screwdriver
            symptom the pump not starting on demand
            symptom a low-pressure alarm while the local gauge reads normal
            cause a failed diaphragm in the discharge pressure switch
            cause a blocked impulse line to the pressure switch
            step Isolate the control circuit and close the switch isolating valve.
            step Disconnect and remove the pressure switch.
            step Fit the new switch and set the cut-in point to {bar|2.0..5.0/0.5|pressure switch cut-in setting}.
            step Open the isolating valve and check the switch against the calibrated test gauge.

            type rotary screw air compressor | 3 | C
            components air-end bearings; inlet valve; minimum pressure valve; oil separator element; thermostatic valve; oil cooler; drive belts; motor windings; pressure transducer; oil filter
            routine changed the oil filter; changed the air filter element; checked the oil level; drained condensate from the receiver; checked drive belt tension; blew out the oil cooler
            spec rated_power | rated power | kW | 7.5, 11, 15, 18.5, 22, 30, 37, 45, 55, 75, 90
            spec max_pressure | maximum working pressure | bar | 7.5, 8, 10, 13
            spec flow | free air delivery | m³/h | 60, 90, 130, 180, 240, 330, 450, 600, 780
            spec service_interval | service interval | h | 2000, 3000, 4000, 8000
            spec oil_capacity | oil capacity | l | 5..40/1
            spec air_end_torque | air-end mounting bolt torque | N·m | 60..140/10
            temp ambient temperature range | 0, 2, 5 | 40, 43, 46

            fault high discharge temperature | thermostatic valve | Replacing the thermostatic valve
            tools thermostat insert tool; infrared thermometer; torque wrench
            symptom a discharge temperature above 105 °C
            symptom the cooler fan running continuously
            symptom oil darkening within a few hundred hours
            cause a thermostatic valve stuck in the bypass position
            cause a weakened thermostatic element
            step Stop the compressor, isolate it and vent the receiver to zero pressure.
            step Drain the oil below the level of the thermostatic valve housing.
            step Remove the housing cover and extract the old element with the thermostat insert tool.
            step Fit the new element and tighten the cover bolts to {N·m|20..45/5|thermostat cover bolt torque}.
            step Top up the oil, run loaded for 20 minutes and confirm the discharge temperature with the infrared thermometer.

            fault oil carry-over | oil separator element | Changing the oil separator element
            tools strap wrench; differential pressure gauge
            symptom oil mist at the air outlet
            symptom oil consumption well above normal
            symptom a rising separator pressure drop
            cause a ruptured oil separator element
            cause a saturated oil separator element
            step Stop and isolate the compressor and vent all pressure.
            step Disconnect the scavenge line and unscrew the old separator element with the strap wrench.
            step Lightly oil the seal of the new element and screw it on by hand, then a further three-quarter turn.
            step Reconnect the scavenge line and check that its orifice is clear.
            step Run loaded and confirm that the separator pressure drop is below {bar|0.3..0.8/0.1|maximum separator pressure drop}.

            fault failure to load | inlet valve | Overhauling the inlet valve
            tools inlet valve service kit; O-ring pick; torque wrench
            symptom the compressor running without building pressure
            symptom the inlet valve chattering at start
            cause a sticking inlet valve piston
            cause a torn inlet valve diaphragm
            step Isolate the compressor and vent the separator tank.
            step Remove the air filter housing to expose the inlet valve.
            step Dismantle the valve and replace the piston seals and diaphragm from the service kit.
            step Reassemble the valve and tighten the body screws to {N·m|8..20/2|inlet valve body screw torque}.
            step Run the compressor and confirm that it loads within ten seconds of start.

            fault main motor overload | motor windings | Testing the main motor
            tools insulation resistance tester; clamp meter; infrared thermometer
            symptom the main motor overload tripping under full load
            symptom a burnt smell at the starter cabinet
            symptom a motor frame too hot to touch
            cause phase imbalance overheating the motor windings
            cause blocked cooling fins overheating the motor windings
            step Isolate and lock out the starter, then prove the motor dead.
            step Measure the supply voltage balance between phases with the compressor running.
            step Test the winding insulation at 500 V DC and reject the motor below {MΩ|2..10/1|minimum insulation resistance}.
            step Clean the motor cooling fins and the fan cowl.
            step Restart and record the current on all three phases under full load.

            fault pressure drops under demand | drive belts | Replacing and tensioning the drive belts
            tools belt tension gauge; straight edge
            symptom a squeal at start-up
            symptom black belt dust inside the enclosure
            symptom pressure falling under full demand
            cause glazed drive belts
            cause incorrect drive belt tension
            step Lock out the compressor and remove the belt guard.
            step Release the motor tensioner and remove the old belts as a set.
            step Check the pulley alignment with the straight edge.
            step Fit the new matched belts and set the deflection at the span midpoint to {mm|4..10/1|belt deflection}.
            step Refit the guard, run for one hour and check the tension again.

            fault pressure signal fault | pressure transducer | Replacing the pressure transducer
            tools calibrated test gauge; connector pin tool
            symptom the controller showing zero pressure while running
            symptom erratic loading and unloading
            cause a failed pressure transducer
            cause water in the pressure transducer connector
            step Stop the compressor and vent the system.
            step Unplug the connector and unscrew the transducer.
            step Fit the new transducer with fresh thread sealant and tighten it to {N·m|15..30/5|transducer tightening torque}.
            step Reconnect and compare the controller reading with the calibrated test gauge.

            type hydraulic power unit | 4 | H
            components gear pump; pressure relief valve; return line filter; accumulator bladder; oil cooler; pressure transducer; directional valve solenoid; motor windings; suction strainer; tank breather
            routine changed the return line filter; took an oil sample for analysis; checked the accumulator precharge; cleaned the oil cooler; checked the tank breather; checked hoses for chafing
            spec rated_power | rated power | kW | 4, 5.5, 7.5, 11, 15, 22, 30
            spec max_pressure | maximum operating pressure | bar | 160, 210, 250, 280, 315
            spec flow | pump delivery | l/min | 12..120/4
            spec service_interval | service interval | h | 1000, 2000, 3000
            spec tank_volume | tank volume | l | 60, 100, 160, 250, 400
            spec flange_torque | manifold bolt torque | N·m | 30..90/5
            temp oil temperature range | -10, 0, 10 | 50, 60, 70

            fault pressure not reached | pressure relief valve | Resetting the pressure relief valve
            tools hex key set; calibrated test gauge
            symptom system pressure stalling below the setpoint
            symptom oil heating quickly at idle
            symptom a hissing noise from the valve block
            cause a relief valve poppet held open by debris
            cause a broken relief valve spring
            step Stop the unit and relieve stored pressure by cycling the actuators.
            step Remove the relief valve cartridge from the valve block.
            step Clean the poppet and seat, and renew the spring and the O-rings.
            step Refit the cartridge and set the relief pressure to {bar|100..150/10|relief valve setting}.
            step Lock the adjuster and check the setting on the test gauge at full flow.

            fault high oil temperature | oil cooler | Cleaning the oil cooler
            tools low-pressure air lance; fin comb
            symptom an oil temperature above 65 °C
            symptom sluggish actuator movement
            symptom the cooler fan running constantly
            cause a fouled oil cooler core
            cause a failed oil cooler fan motor
            step Stop the unit and isolate the cooler fan.
            step Remove the cooler shroud.
            step Blow the core out from the clean side at no more than {bar|2..6/1|cleaning air pressure}.
            step Straighten bent fins with the fin comb.
            step Refit the shroud and confirm that the oil temperature stabilises under load.

            fault filter bypass alarm | return line filter | Changing the return line filter
            tools filter bowl wrench; drain tray
            symptom the filter clogging indicator showing red
            symptom a filter bypass alarm on the panel
            cause a saturated return line filter element
            cause wear debris loading the return line filter
            step Stop the unit and wait for the return line to depressurise.
            step Unscrew the filter bowl and discard the old element.
            step Fit the new element, renew the bowl O-ring and tighten the bowl to {N·m|30..60/5|filter bowl torque}.
            step Reset the clogging indicator and run the unit to check for leaks.

            fault pump noise | gear pump | Replacing the gear pump
            tools torque wrench; alignment gauge
            symptom a loud whine from the pump
            symptom foaming oil in the tank
            symptom slow pressure build-up
            cause worn gear pump side plates
            cause a scored gear pump housing
            step Isolate the motor and drain the tank below the pump suction.
            step Unbolt the pump from the bell housing.
            step Fit the new pump with a new coupling insert and tighten the flange bolts to {N·m|40..90/5|pump flange bolt torque}.
            step Fill the pump case with clean oil before start-up.
            step Start in short bursts to bleed air and check the noise level.

            fault accumulator precharge loss | accumulator bladder | Recharging the accumulator
            tools nitrogen charging kit; pressure gauge
            symptom pressure dropping quickly when the pump unloads
            symptom frequent pump cycling
            symptom hammering in the pipework
            cause a punctured accumulator bladder
            cause nitrogen lost through the charging valve core
            step Isolate the accumulator and drain its oil side to zero pressure.
            step Connect the nitrogen charging kit to the gas valve.
            step Check the precharge and replace the bladder if it is punctured.
            step Charge with dry nitrogen to {bar|60..120/10|accumulator precharge pressure}.
            step Check the gas valve for leaks with soapy water and refit the cap.

            fault valve does not shift | directional valve solenoid | Replacing the solenoid coil
            tools multimeter; manual override pin
            symptom one actuator not moving in one direction
            symptom a solenoid coil too hot to touch
            cause a burnt-out solenoid coil
            cause a loose solenoid connector starving the coil of voltage
            step Isolate the control supply.
            step Measure the coil resistance and compare it with the nominal {Ω|18..40/2|nominal coil resistance}.
            step Unscrew the coil nut and slide the coil off the armature tube.
            step Fit the new coil, tighten the nut by hand and reconnect the plug.
            step Test the valve with the manual override pin, then under power.

            type helical gear reducer | 5 | G
            components input shaft seal; output shaft bearing; high-speed pinion; breather; oil level sight glass; backstop; oil temperature sensor; input coupling; magnetic drain plug
            routine changed the gear oil; cleaned the magnetic drain plug; checked the breather; checked the oil level at the sight glass; checked the input coupling for wear; recorded bearing temperatures
            spec rated_power | rated input power | kW | 5.5, 11, 18.5, 30, 45, 75, 110, 160
            spec output_torque | rated output torque | N·m | 800, 1500, 2400, 4000, 6500, 9000, 12000
            spec ratio | reduction ratio | :1 | 5.6, 8, 12.5, 16, 20, 25, 31.5, 40
            spec speed | maximum input speed | rpm | 1500, 1800, 3000
            spec service_interval | oil change interval | h | 5000, 8000, 10000, 20000
            spec oil_volume | oil volume | l | 6..60/2
            temp operating temperature range | -20, -10, 0 | 40, 50, 60

            fault oil leak at input shaft | input shaft seal | Replacing the input shaft seal
            tools seal puller; seal driver; torque wrench
            symptom oil weeping from the input shaft
            symptom a falling oil level in the sight glass
            symptom oil spray on the coupling guard
            cause a hardened input shaft seal lip
            cause a grooved shaft surface under the input seal lip
            step Lock out the drive motor and remove the input coupling.
            step Pierce the old seal and lever it out with the seal puller.
            step Clean the bore and check the shaft surface for grooves.
            step Drive the new seal in square with the seal driver, lip facing the oil.
            step Refit the coupling and tighten the hub clamp screws to {N·m|25..70/5|hub clamp screw torque}.

            fault casing overpressure | breather | Replacing the breather
            tools spanner set; lint-free cloth
            symptom oil pushed out of the dipstick tube
            symptom a hiss when the filler plug is loosened
            cause a breather clogged with dust
            cause paint overspray sealing the breather
            step Stop the drive and let the casing cool.
            step Unscrew the breather with a spanner.
            step Fit a new breather and tighten it to {N·m|10..30/5|breather tightening torque}.
            step Clean off spilt oil and check the oil level.

            fault output bearing noise | output shaft bearing | Replacing the output shaft bearing
            tools hydraulic puller; induction heater; dial indicator
            symptom a rumbling noise from the output side
            symptom rising output bearing temperature
            symptom axial play in the output shaft
            cause fatigue spalling on the output bearing race
            cause lubricant starvation of the output bearing
            step Lock out the drive, drain the oil and remove the output cover.
            step Pull the old bearing with the hydraulic puller.
            step Heat the new bearing to 110 °C and fit it against the shoulder.
            step Set the axial float with shims to {mm|0.05..0.20/0.05|output shaft axial float}.
            step Refill with oil to the middle of the sight glass and run in at reduced load for two hours.

            fault gear mesh knock | high-speed pinion | Replacing the high-speed pinion
            tools gear puller; marking compound; feeler gauge
            symptom a knock once per pinion revolution
            symptom metal flakes on the magnetic drain plug
            symptom vibration peaks at gear mesh frequency
            cause pitting of the high-speed pinion teeth
            cause a broken tooth on the high-speed pinion
            step Lock out the drive, drain the oil and lift the top casing.
            step Remove the pinion shaft assembly.
            step Fit the new pinion and check the tooth contact pattern with marking compound.
            step Check the backlash with the feeler gauge; it must be {mm|0.15..0.40/0.05|gear backlash}.
            step Close the casing with new sealant, refill with oil and run in at half load.

            fault run-back after stop | backstop | Replacing the backstop
            tools torque wrench; circlip pliers
            symptom the driven machine running backwards after a stop
            symptom a clunk when the drive stops
            cause worn backstop sprags
            cause the wrong grease in the backstop
            step Secure the load so that it cannot run back, then lock out the drive.
            step Remove the backstop cover and the circlip.
            step Withdraw the old backstop and fit the new one, checking the free-wheel direction by hand.
            step Tighten the cover screws to {N·m|20..50/5|backstop cover screw torque}.
            step Test by stopping the drive under load and confirming that it does not run back.

            fault oil temperature signal fault | oil temperature sensor | Replacing the oil temperature sensor
            tools multimeter; spanner set; contact thermometer
            symptom an oil temperature reading of -40 °C on the panel
            symptom spurious high-temperature trips
            cause a broken lead on the oil temperature sensor
            cause a failed oil temperature sensor element
            step Isolate the control circuit.
            step Unscrew the sensor from its pocket and fit the new one with heat transfer paste.
            step Set the high-temperature trip to {°C|85..100/5|high oil temperature trip setting}.
            step Reconnect and check the panel reading against the contact thermometer.

            type industrial centrifugal fan | 6 | F
            components fan impeller; fan bearings; V-belt drive; inlet damper actuator; vibration sensor; motor windings; flexible connector; shaft seal
            routine greased the fan bearings; checked V-belt tension; inspected the impeller for deposits; checked the flexible connectors; stroked the inlet damper; recorded vibration at both bearings
            spec rated_power | rated power | kW | 5.5, 11, 18.5, 30, 45, 75, 110
            spec flow | rated airflow | m³/h | 4000..60000/1000
            spec max_pressure | maximum static pressure | Pa | 800..6000/100
            spec speed | fan speed | rpm | 980, 1180, 1480, 1760
            spec service_interval | service interval | h | 2000, 4000, 6000
            spec hub_torque | impeller hub bolt torque | N·m | 50..180/10
            temp gas temperature range | -20, -10, 0 | 60, 80, 120, 200

            fault impeller imbalance | fan impeller | Cleaning and balancing the impeller
            tools balancing instrument; scraper; trial weights
            symptom vibration rising at running speed
            symptom a once-per-revolution thump
            symptom cracked paint on the fan casing welds
            cause dust build-up on the impeller blades
            cause a lost balance weight on the impeller
            step Lock out the fan and open the inspection door.
            step Scrape deposits from the blades and wash the impeller.
            step Mount the balancing instrument and run the fan at full speed.
            step Add trial weights until the residual vibration is below {mm/s|1.5..4.5/0.5|residual vibration limit}.
            step Weld or bolt on the final weights and record the readings.

            fault fan bearing failure | fan bearings | Replacing the fan bearings
            tools bearing puller; induction heater; torque wrench
            symptom a bearing temperature above 90 °C
            symptom a grinding noise at the bearing housing
            symptom high-frequency vibration on the sensor trend
            cause grease washed out of the fan bearings
            cause fan bearings fitted with too little internal clearance
            step Lock out the fan and take the belt load off the shaft.
            step Remove the bearing housing caps and pull the old bearings.
            step Heat and fit the new bearings, then tighten the plummer block bolts to {N·m|80..200/10|plummer block bolt torque}.
            step Grease through the nipples with the quantity shown on the lubrication label.
            step Run the fan and trend the bearing temperature for the first four hours.

            fault fan speed low | V-belt drive | Replacing the V-belts
            tools belt tension gauge; laser pulley alignment tool
            symptom a fan speed below nameplate
            symptom a squeal on start
            symptom frayed belt fragments inside the guard
            cause worn V-belts
            cause misaligned pulleys on the V-belt drive
            step Lock out the fan and remove the belt guard.
            step Slacken the motor slide rails and remove the old belts.
            step Check the pulley alignment with the laser tool.
            step Fit a matched set of belts and set the tension with a deflection force of {N|30..80/5|belt deflection force}.
            step Run for one hour and tension the belts again.

            fault damper position fault | inlet damper actuator | Freeing the inlet damper
            tools spanner set; penetrating oil
            symptom airflow not changing with the damper setpoint
            symptom actuator position feedback stuck at one value
            cause a seized inlet damper linkage
            cause a failed inlet damper actuator motor
            step Switch the actuator to manual and isolate its supply.
            step Disconnect the linkage and move the damper blades by hand.
            step Clean and lubricate the blade pivots.
            step Reconnect the linkage and tighten the lever clamp to {N·m|10..25/5|damper lever clamp torque}.
            step Stroke the actuator from 0 to 100 percent and check the feedback signal.

            fault fan motor overload | motor windings | Testing the fan motor
            tools insulation resistance tester; clamp meter
            symptom a motor overload trip at full damper opening
            symptom a motor frame hotter than usual
            cause loss of one phase to the motor windings
            cause a blocked fan cowl overheating the motor windings
            step Isolate and lock out the motor.
            step Check all three supply fuses and the terminal connections.
            step Test the winding insulation and reject the motor below {MΩ|2..10/1|minimum insulation resistance}.
            step Clear the fan cowl and cooling fins.
            step Restart and measure the current on all three phases.

            fault vibration signal fault | vibration sensor | Replacing the vibration sensor
            tools torque wrench; multimeter
            symptom a flat vibration trend reading zero
            symptom spurious high-vibration trips
            cause a damaged vibration sensor cable
            cause a loose vibration sensor mounting stud
            step Isolate the monitoring system input.
            step Unscrew the sensor and clean the mounting face.
            step Fit the sensor and tighten the mounting stud to {N·m|5..12/1|sensor mounting stud torque}.
            step Route the new cable away from the motor leads and check the trend reading.

            type diesel generator set | 7 | DG
            components fuel injectors; fuel filter; coolant thermostat; automatic voltage regulator; starter motor; radiator; turbocharger; battery charger; fuel lift pump
            routine changed the engine oil and oil filter; changed the fuel filter; checked the coolant level and antifreeze strength; tested the batteries; checked the radiator for blockage; ran a one-hour load test
            spec rated_power | prime power rating | kW | 60, 100, 150, 200, 300, 400, 500, 800
            spec speed | engine speed | rpm | 1500, 1800
            spec fuel_consumption | fuel consumption at full load | l/h | 16..210/2
            spec service_interval | service interval | h | 250, 500, 1000
            spec head_torque | cylinder head bolt torque | N·m | 90..240/10
            spec tank_volume | fuel tank capacity | l | 200, 400, 600, 1000, 1500
            temp ambient temperature range | -25, -20, -10 | 40, 45, 50

            fault high coolant temperature | coolant thermostat | Replacing the coolant thermostat
            tools torque wrench; coolant refractometer
            symptom a coolant temperature above 98 °C under load
            symptom a cold radiator top hose while the engine is hot
            cause a coolant thermostat stuck closed
            cause a failed wax element in the coolant thermostat
            step Stop the engine and let it cool below 50 °C.
            step Drain the coolant below the level of the thermostat housing.
            step Replace the thermostat and gasket and tighten the housing bolts to {N·m|20..35/5|thermostat housing bolt torque}.
            step Refill with premixed coolant and bleed air from the system.
            step Run under load and confirm that the top hose warms as the thermostat opens.

            fault low fuel pressure | fuel filter | Changing the fuel filters
            tools filter wrench; hand priming pump
            symptom the engine hunting under load
            symptom black smoke at load steps
            symptom a low fuel pressure warning
            cause a clogged fuel filter
            cause water in the fuel filter bowl
            step Stop the engine and close the fuel supply valve.
            step Drain the water separator bowl into a container.
            step Replace the primary and secondary filter elements.
            step Prime the system until the fuel pressure exceeds {bar|2.5..5.0/0.5|minimum fuel pressure}.
            step Run the engine and check the filter heads for leaks.

            fault output voltage unstable | automatic voltage regulator | Replacing the voltage regulator
            tools multimeter; insulated screwdriver
            symptom an output voltage hunting by more than 5 percent
            symptom flickering lights on the site supply
            cause a failed automatic voltage regulator
            cause a loose sensing lead on the automatic voltage regulator
            step Stop the set and isolate the battery and the output breaker.
            step Label and disconnect the regulator wiring.
            step Fit the new regulator and reconnect the wiring as labelled.
            step Run the set at no load and set the output voltage to {V|395..415/5|no-load output voltage}.
            step Apply load in steps and check that the voltage recovers within two seconds.

            fault failure to crank | starter motor | Replacing the starter motor
            tools torque wrench; battery tester
            symptom a single click when the start button is pressed
            symptom no cranking while the battery voltage is normal
            cause worn starter motor brushes
            cause a welded starter solenoid contact
            step Isolate the batteries at the battery switch.
            step Disconnect the starter cables and remove the starter motor.
            step Fit the new starter and tighten the mounting bolts to {N·m|40..80/5|starter mounting bolt torque}.
            step Reconnect the cables, restore the batteries and test crank three times.

            fault misfire at light load | fuel injectors | Replacing a fuel injector
            tools injector puller; torque wrench; injector test bench
            symptom white smoke at start-up
            symptom a misfire at light load
            symptom one exhaust port running cold
            cause a sticking fuel injector nozzle
            cause a leaking fuel injector tip
            step Find the faulty cylinder by comparing the exhaust port temperatures.
            step Remove the high-pressure pipe and the injector clamp.
            step Pull the injector with the injector puller and fit a new sealing washer.
            step Fit the new injector and tighten the clamp bolt to {N·m|20..40/2|injector clamp bolt torque}.
            step Bleed the high-pressure pipe and run the engine at light load.

            fault loss of power | turbocharger | Replacing the turbocharger
            tools dial indicator; torque wrench
            symptom blue smoke at the exhaust
            symptom a loss of power above half load
            symptom a whistle from the turbocharger
            cause worn turbocharger shaft bearings
            cause a damaged turbocharger compressor wheel
            step Stop the engine and let the exhaust manifold cool.
            step Check the turbocharger shaft radial play, which must not exceed {mm|0.30..0.60/0.05|maximum turbocharger radial play}.
            step Disconnect the oil feed, oil drain and ducting and unbolt the turbocharger.
            step Fit the new turbocharger with new gaskets and prime its bearings with clean oil.
            step Run at idle for five minutes before applying load.
            """;

    static List<TypeTemplate> types() {
        List<TypeTemplate> types = new ArrayList<>();
        TypeBuilder type = null;
        FaultBuilder fault = null;
        for (String raw : TEXT.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            int sp = line.indexOf(' ');
            String kw = line.substring(0, sp), rest = line.substring(sp + 1).strip();
            switch (kw) {
                case "type" -> {
                    if (type != null) types.add(type.build(fault));
                    fault = null;
                    String[] p = split(rest, "\\|", 3);
                    type = new TypeBuilder(p[0], Integer.parseInt(p[1]), p[2]);
                }
                case "components" -> type.components = List.of(rest.split("\\s*;\\s*"));
                case "routine" -> type.routine = List.of(rest.split("\\s*;\\s*"));
                case "spec" -> {
                    String[] p = split(rest, "\\|", 4);
                    type.specs.add(new SpecTemplate(p[0], p[1], p[2], p[3]));
                }
                case "temp" -> {
                    String[] p = split(rest, "\\|", 3);
                    type.tempLabel = p[0];
                    type.tempLows = p[1];
                    type.tempHighs = p[2];
                }
                case "fault" -> {
                    if (fault != null) type.faults.add(fault.build());
                    String[] p = split(rest, "\\|", 3);
                    fault = new FaultBuilder(p[0], p[1], p[2]);
                }
                case "tools" -> fault.tools = List.of(rest.split("\\s*;\\s*"));
                case "symptom" -> fault.symptoms.add(rest);
                case "cause" -> fault.causes.add(rest);
                case "step" -> fault.steps.add(rest);
                default -> throw new IllegalStateException("demo catalog: unknown line " + line);
            }
        }
        types.add(type.build(fault));
        return List.copyOf(types);
    }

    private static String[] split(String s, String sep, int n) {
        String[] p = s.split("\\s*" + sep + "\\s*");
        if (p.length != n) throw new IllegalStateException("demo catalog: expected " + n + " fields in " + s);
        return p;
    }

    private static final class TypeBuilder {
        final String noun, assetPrefix;
        final int digit;
        List<String> components = List.of(), routine = List.of();
        final List<SpecTemplate> specs = new ArrayList<>();
        final List<FaultTemplate> faults = new ArrayList<>();
        String tempLabel, tempLows, tempHighs;

        TypeBuilder(String noun, int digit, String assetPrefix) {
            this.noun = noun;
            this.digit = digit;
            this.assetPrefix = assetPrefix;
        }

        TypeTemplate build(FaultBuilder last) {
            if (last != null) faults.add(last.build());
            return new TypeTemplate(noun, digit, assetPrefix, components, routine, List.copyOf(specs), tempLabel,
                    tempLows, tempHighs, List.copyOf(faults));
        }
    }

    private static final class FaultBuilder {
        final String title, component, procedure;
        List<String> tools = List.of();
        final List<String> symptoms = new ArrayList<>(), causes = new ArrayList<>(), steps = new ArrayList<>();

        FaultBuilder(String title, String component, String procedure) {
            this.title = title;
            this.component = component;
            this.procedure = procedure;
        }

        FaultTemplate build() {
            long holes = steps.stream().filter(s -> s.contains("{")).count();
            if (holes != 1 || steps.size() < 3 || steps.size() > 7)
                throw new IllegalStateException("demo catalog: fault " + title + " needs 3-7 steps, one value");
            return new FaultTemplate(title, component, procedure, tools, List.copyOf(symptoms), List.copyOf(causes),
                    List.copyOf(steps));
        }
    }
}
